import { spawn } from "node:child_process";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import WebSocket from "ws";
import { startPlatform, type Platform } from "../../local-supabase/src/platform.ts";
import { PLANS } from "../../local-supabase/src/shared/plan.ts";
import { ANON_KEY } from "../../local-supabase/src/shared/keys.ts";
import type { Archive } from "./archives.ts";
import { findPids, type ProcStats, readProcStats } from "./sample-process.ts";
import type { Measurement } from "./table.ts";

export const SEGMENTED = "album-upload segmented";
export const DIRECTORY_ONLY = "directory request";
const RUN_TIMEOUT_MS = 60 * 60_000;
const TERMINAL = new Set(["ready", "partial", "failed", "cancelled"]);
const SENDER = join(import.meta.dirname, "segment-sender.ts");

/**
 * Every album-upload worker the run boots (a worker is retired at its CPU soft limit or half its wall
 * clock and a new one takes the next requests): peak RSS of the largest, and the CPU of all of them.
 */
class WorkerSampler {
  private readonly last = new Map<number, ProcStats>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly needle: string) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), 100);
  }

  sample(): void {
    for (const pid of findPids(this.needle)) {
      const stats = readProcStats(pid);
      if (stats) this.last.set(pid, stats);
    }
  }

  stop(): { workers: number; peakRssBytes: number; cpuSeconds: number; chargedCpuSeconds: number; maxWorkerChargedCpuSeconds: number } {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    const all = [...this.last.values()];
    return {
      workers: all.length,
      peakRssBytes: Math.max(0, ...all.map((s) => Math.max(s.peakRssBytes, s.rssBytes))),
      cpuSeconds: all.reduce((sum, s) => sum + s.cpuSeconds, 0),
      chargedCpuSeconds: all.reduce((sum, s) => sum + s.mainThreadCpuSeconds, 0),
      maxWorkerChargedCpuSeconds: Math.max(0, ...all.map((s) => s.mainThreadCpuSeconds)),
    };
  }
}

/**
 * One archive through the segmented protocol under the unchanged Free limits (CPU, wall clock, /tmp,
 * memory), sent by another process 3 segments at a time, until the album is done. `directory`: the
 * directory request alone, in one fresh worker (the archive's entries are recorded, nothing is sent).
 * CPU is every worker's since boot (boot included): what the runtime would charge across invocations.
 */
export async function runSegmented(archive: Archive, mode: "upload" | "directory", log: (line: string) => void): Promise<Measurement> {
  const workerLines: string[] = [];
  const platform = await startPlatform({
    memory: true, port: 0, plan: PLANS.free.name,
    log: (line) => line.startsWith("[functions:album-upload]") && workerLines.push(line),
  });
  const runner = mode === "upload" ? SEGMENTED : DIRECTORY_ONLY;
  const base = { runner, archive: archive.name, lifted: "none" };
  const sampler = new WorkerSampler(join(platform.context.dataDir, "functions", "workers", "album-upload-"));
  try {
    const user = await signUp(platform);
    const albumId = await createAlbum(user.client, archive);
    const endpoint = `${platform.url}/functions/v1/album-upload`;
    const warm = await fetch(endpoint, { headers: { Authorization: `Bearer ${user.token}`, apikey: ANON_KEY } });
    if (!warm.ok) throw new Error(`warm-up GET answered ${warm.status}`);
    await warm.body?.cancel();
    sampler.start();
    const started = performance.now();
    const hostCpu = process.cpuUsage();
    const summary = await send([platform.url, user.token, albumId, archive.path, ...(mode === "directory" ? ["directory-only"] : [])]);
    let outcome: string, ok: boolean;
    const answeredSeconds = (performance.now() - started) / 1000;
    if (mode === "directory") {
      ok = summary.status === 200 && summary.entries === archive.files;
      outcome = ok ? `200: ${archive.files} rows, ${summary.segments} segments planned` : `${summary.status} ${summary.code ?? ""} ${summary.message ?? ""}`;
    } else {
      const album = summary.status === 200 ? await waitForAlbum(user.client, albumId) : null;
      ok = album !== null && album.uploaded === archive.files && album.status === "ready";
      const refusals = Object.entries(summary.refusals ?? {}).map(([code, n]) => `${n} ${code}`).join(", ");
      outcome = album
        ? `${album.status} (${album.uploaded}/${archive.files}); ${summary.segments} segments, ${summary.requests} requests` +
          `${summary.resent ? `, ${summary.resent} resent` : ""}${refusals ? ` (${refusals})` : ""}`
        : `${summary.status} ${summary.code ?? ""} ${summary.message ?? ""}`;
    }
    const wallSeconds = (performance.now() - started) / 1000;
    const host = process.cpuUsage(hostCpu);
    const workers = sampler.stop();
    log(`  ${workers.workers} workers, most charged CPU in one: ${workers.maxWorkerChargedCpuSeconds.toFixed(2)} s`);
    return {
      ...base, outcome: `${outcome}; ${workers.workers} workers`, ok, wallSeconds, answeredSeconds, hostCpuSeconds: (host.user + host.system) / 1e6,
      cpuSeconds: workers.cpuSeconds, chargedCpuSeconds: workers.chargedCpuSeconds, peakRssBytes: workers.peakRssBytes,
      workers: workers.workers, maxWorkerChargedCpuSeconds: workers.maxWorkerChargedCpuSeconds,
    };
  } catch (error) {
    sampler.stop();
    log(workerLines.slice(-10).join("\n"));
    return { ...base, outcome: `error: ${(error as Error).message.split("\n")[0].slice(0, 120)}`, ok: false };
  } finally {
    await platform.close();
  }
}

interface Summary {
  status: number;
  code?: string;
  message?: string;
  entries?: number;
  segments?: number;
  requests?: number;
  resent?: number;
  refusals?: Record<string, number>;
}

function send(args: string[]): Promise<Summary> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", SENDER, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [], err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    const timer = setTimeout(() => child.kill(), RUN_TIMEOUT_MS);
    child.on("close", (code) => {
      clearTimeout(timer);
      const text = Buffer.concat(out).toString("utf8").trim().split("\n").pop() ?? "";
      if (code === 0 && text) resolve(JSON.parse(text) as Summary);
      else reject(new Error(Buffer.concat(err).toString("utf8").trim().split("\n").slice(-3).join(" ") || `sender exited with ${code}`));
    });
  });
}

async function signUp(platform: Platform): Promise<{ client: SupabaseClient; token: string }> {
  const client = createClient(platform.url, ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as never }, // Node 20 has no global WebSocket
  });
  const { data, error } = await client.auth.signUp({ email: `bench-${randomUUID()}@example.com`, password: "bench password 1" });
  if (error || !data.session) throw error ?? new Error("sign-up returned no session");
  return { client, token: data.session.access_token };
}

async function createAlbum(client: SupabaseClient, archive: Archive): Promise<string> {
  const { data, error } = await client.from("albums").insert({ name: archive.name, source_name: `${archive.name}.zip`, source_bytes: archive.archiveBytes })
    .select("id").single();
  if (error) throw new Error(`album insert failed: ${error.message}`);
  return (data as { id: string }).id;
}

async function waitForAlbum(client: SupabaseClient, albumId: string) {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  for (;;) {
    const { data, error } = await client.from("albums").select("status, uploaded").eq("id", albumId).single();
    if (error) throw new Error(`album poll failed: ${error.message}`);
    const album = data as { status: string; uploaded: number };
    if (TERMINAL.has(album.status) || Date.now() > deadline) return album;
    await new Promise((done) => setTimeout(done, 250));
  }
}
