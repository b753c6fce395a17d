import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { randomUUID } from "node:crypto";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import WebSocket from "ws";
import { startPlatform, type Platform } from "../../local-supabase/src/platform.ts";
import { PLANS, type PlanLimits } from "../../local-supabase/src/shared/plan.ts";
import { ANON_KEY } from "../../local-supabase/src/shared/keys.ts";
import type { Archive } from "./archives.ts";
import { postFile } from "./post-file.ts";
import { findPids, ProcessSampler } from "./sample-process.ts";
import { BASELINE_A, BASELINE_B, type Measurement } from "./table.ts";

export const FUNCTIONS = {
  "album-upload": "album-upload",
  "baseline-stream": BASELINE_A,
  "baseline-blob": BASELINE_B,
} as const;
export type FunctionName = keyof typeof FUNCTIONS;

/** The baselines live here; album-upload still resolves through supabase/config.toml's entrypoint. */
const FUNCTIONS_DIR = resolve(import.meta.dirname, "functions");
const PLAN = PLANS.free;
const HOUR = 3_600_000;
const TERMINAL = new Set(["ready", "partial", "failed", "interrupted", "cancelled"]);
/** A run that takes longer than this is reported as a timeout, so one hang cannot stall the whole bench. */
const RUN_TIMEOUT_MS = 15 * 60_000;

/**
 * Limits lifted for a benchmark run. Memory never is (256 MB is the point of the exercise). CPU and wall
 * clock always are, so a run measures instead of being cut off at 2 s CPU; /tmp (and the function's own
 * archive cap, which follows it) only when the archive does not fit the Free plan's 256 MB.
 */
function liftedLimits(archive: Archive): { limits: Partial<PlanLimits>; env: string; label: string } {
  const limits: Partial<PlanLimits> = { functionCpuSoftMs: HOUR, functionCpuHardMs: HOUR, functionWallClockMs: HOUR, functionIdleTimeoutMs: HOUR };
  const labels = ["cpu", "wall", "idle"];
  let env = "";
  if (archive.archiveBytes > PLAN.functionTmpBytes * 0.95) {
    const tmp = 4 * 2 ** 30;
    limits.functionTmpBytes = tmp;
    env = `ALBUM_MAX_ARCHIVE_BYTES=${tmp}\nALBUM_MAX_UNCOMPRESSED_BYTES=${tmp}\n`;
    labels.push("tmp");
  }
  return { limits, env, label: labels.join(",") };
}

/** Runs one function on one archive in a fresh platform (a fresh worker, so peak RSS belongs to this archive). */
export async function runFunction(name: FunctionName, archive: Archive, log: (line: string) => void): Promise<Measurement> {
  const lifted = liftedLimits(archive);
  writeFileSync(join(FUNCTIONS_DIR, ".env"), lifted.env);
  const workerLines: string[] = [];
  const platform = await startPlatform({
    memory: true,
    port: 0,
    plan: PLAN.name,
    functionsDir: FUNCTIONS_DIR,
    functionLimits: lifted.limits,
    log: (line) => line.startsWith(`[functions:${name}]`) && workerLines.push(line),
  });
  const base = { runner: FUNCTIONS[name], archive: archive.name, lifted: lifted.label };
  try {
    const user = await signUp(platform);
    const albumId = name === "album-upload" ? await createAlbum(user.client, archive) : null;
    const endpoint = `${platform.url}/functions/v1/${name}`;
    const headers = { Authorization: `Bearer ${user.token}`, apikey: ANON_KEY };
    // Boot the worker first: the platform's CPU clock also starts at the first request, not at boot.
    const warm = await fetch(endpoint, { headers });
    if (!warm.ok) throw new Error(`warm-up GET answered ${warm.status}: ${await warm.text()}`);
    await warm.body?.cancel();
    const sampler = new ProcessSampler(workerPid(platform, name));
    sampler.start();
    const started = performance.now();
    const startedAt = Date.now();
    const hostCpu = process.cpuUsage();
    const query = albumId ? `album=${albumId}` : `prefix=${user.id}/${randomUUID()}`;
    const response = await postFile(`${endpoint}?${query}`, archive.path, archive.archiveBytes, headers, RUN_TIMEOUT_MS).catch((error: Error) => ({ status: 0, body: error.message }));
    let outcome: string;
    let ok = false;
    let finishedAt = 0;
    const answeredSeconds = (performance.now() - started) / 1000;
    const answeredCpuSeconds = sampler.cpuSoFar();
    if (albumId && response.status === 202) {
      const album = await waitForAlbum(user.client, albumId, sampler);
      finishedAt = performance.now();
      ok = album.uploaded === archive.files && (album.status === "ready" || album.status === "partial");
      outcome = album.status === "worker gone" ? endReason(workerLines) : `${album.status} (${album.uploaded}/${archive.files})`;
      // The row's updated_at is stamped by the final update itself: exact, unlike the 200 ms poll.
      if (ok) finishedAt = Math.min(performance.now(), started + (Date.parse(album.updated_at) - startedAt));
    } else if (!albumId && response.status === 200) {
      const files = (JSON.parse(response.body) as { files: number }).files;
      ok = files === archive.files;
      outcome = `ok (${files}/${archive.files})`;
    } else {
      outcome = response.status === 546 ? `546 ${endReason(workerLines)}` : `${response.status || "error"} ${response.body.slice(0, 80)}`;
      if (response.status !== 546) log(workerLines.slice(-10).join("\n"));
    }
    if (!finishedAt) finishedAt = performance.now();
    const wallSeconds = (finishedAt - started) / 1000;
    const host = process.cpuUsage(hostCpu);
    const hostCpuSeconds = (host.user + host.system) / 1e6;
    return { ...base, outcome, ok, wallSeconds, answeredSeconds, answeredCpuSeconds, hostCpuSeconds, ...sampler.stop() };
  } catch (error) {
    log(workerLines.slice(-10).join("\n"));
    return { ...base, outcome: `error: ${(error as Error).message.split("\n")[0].slice(0, 80)}`, ok: false };
  } finally {
    await platform.close();
  }
}

async function signUp(platform: Platform): Promise<{ client: SupabaseClient; id: string; token: string }> {
  const client = createClient(platform.url, ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as never }, // Node 20 has no global WebSocket
  });
  const { data, error } = await client.auth.signUp({ email: `bench-${randomUUID()}@example.com`, password: "bench password 1" });
  if (error || !data.session || !data.user) throw error ?? new Error("sign-up returned no session");
  return { client, id: data.user.id, token: data.session.access_token };
}

async function createAlbum(client: SupabaseClient, archive: Archive): Promise<string> {
  const { data, error } = await client
    .from("albums")
    .insert({ name: archive.name, source_name: `${archive.name}.zip`, source_bytes: archive.archiveBytes })
    .select("id")
    .single();
  if (error) throw new Error(`album insert failed: ${error.message}`);
  return (data as { id: string }).id;
}

/**
 * The worker process, found through /proc: the platform does not expose its pool, but every worker's
 * command line carries its private directory `<dataDir>/functions/workers/<name>-<id>/`.
 */
function workerPid(platform: Platform, name: string): number {
  const pids = findPids(join(platform.context.dataDir, "functions", "workers", `${name}-`));
  if (pids.length !== 1) throw new Error(`expected one ${name} worker process, found ${pids.length}`);
  return pids[0];
}

/** Polls the album row (as its owner, through PostgREST) until its status is terminal or the worker is gone. */
async function waitForAlbum(client: SupabaseClient, albumId: string, sampler: ProcessSampler) {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  let goneSince: number | null = null;
  for (;;) {
    const { data, error } = await client.from("albums").select("status, uploaded, updated_at").eq("id", albumId).single();
    if (error) throw new Error(`album poll failed: ${error.message}`);
    const album = data as { status: string; uploaded: number; updated_at: string };
    if (TERMINAL.has(album.status)) return album;
    if (sampler.exited) {
      goneSince ??= Date.now();
      if (Date.now() - goneSince > 2000) return { ...album, status: "worker gone" };
    }
    if (Date.now() > deadline) return { ...album, status: "timeout" };
    await new Promise((done) => setTimeout(done, 200));
  }
}

/** Why the worker ended, from the platform's log ("worker ended: memory" → the 546 memory limit). */
function endReason(lines: string[]): string {
  const reason = lines.map((line) => /worker ended: (\w+)/.exec(line)?.[1]).find(Boolean);
  if (reason === "memory") return "WORKER_LIMIT (memory 256 MB)";
  return reason ? `worker ended: ${reason}` : "worker exited";
}
