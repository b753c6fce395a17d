import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { resolve } from "node:path";
import { startPlatform } from "../../local-supabase/src/platform.ts";
import { SERVICE_ROLE_KEY } from "../../local-supabase/src/shared/keys.ts";
import { SEGMENTS_IN_FLIGHT } from "../../supabase/functions/_shared/upload-protocol.ts";
import type { Archive } from "./archives.ts";
import type { Measurement } from "./table.ts";

export const PROXY_CEILING = "functions proxy (ceiling)";
const CLIENT = fileURLToPath(new URL("./storage-client.mjs", import.meta.url));
const FUNCTIONS_DIR = resolve(import.meta.dirname, "functions");
/** About a planned segment's size at the assumed upload rate (30 s × 1 MiB/s). */
const SLICE_BYTES = 30 * 2 ** 20;
const HOUR = 3_600_000;

/**
 * How fast the platform's functions proxy alone carries the archive into a worker: the same bytes POSTed
 * in segment-sized slices, SEGMENTS_IN_FLIGHT at a time, from another process, to a function that reads
 * and discards them (functions/discard). The segmented upload carries every byte through this hop and
 * then through Storage's write path, both on the platform's one Node thread, so its ceiling is the two
 * hops in series (targets.ts), not Storage direct alone. CPU and wall clock are lifted so one worker
 * takes it all; only the proxy's cost is being measured.
 */
export async function runProxyCeiling(archive: Archive): Promise<Measurement> {
  const platform = await startPlatform({
    memory: true, port: 0, plan: "free", functionsDir: FUNCTIONS_DIR, log: () => {},
    functionLimits: { functionCpuSoftMs: HOUR, functionCpuHardMs: HOUR, functionWallClockMs: HOUR, functionIdleTimeoutMs: HOUR },
  });
  const base = { runner: PROXY_CEILING, archive: archive.name };
  const slices = Math.max(1, Math.round(archive.archiveBytes / SLICE_BYTES));
  try {
    const url = `${platform.url}/functions/v1/discard`;
    const warm = await fetch(url, { method: "POST", body: "", headers: { Authorization: `Bearer ${SERVICE_ROLE_KEY}` } });
    if (!warm.ok) throw new Error(`warm-up POST answered ${warm.status}`);
    await warm.body?.cancel();
    const started = performance.now();
    const hostCpu = process.cpuUsage();
    await new Promise<void>((done, fail) => {
      const args = [CLIENT, `${url}/slice`, archive.path, String(archive.archiveBytes), String(slices), String(SEGMENTS_IN_FLIGHT), SERVICE_ROLE_KEY];
      const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
      const errors: Buffer[] = [];
      child.stderr.on("data", (chunk: Buffer) => errors.push(chunk));
      child.on("error", fail);
      child.on("close", (code) => (code === 0 ? done() : fail(new Error(Buffer.concat(errors).toString("utf8").trim() || `client exited with ${code}`))));
    });
    const host = process.cpuUsage(hostCpu);
    return {
      ...base, outcome: `ok (${slices} requests, ${SEGMENTS_IN_FLIGHT} at a time)`, ok: true,
      wallSeconds: (performance.now() - started) / 1000, hostCpuSeconds: (host.user + host.system) / 1e6,
    };
  } catch (error) {
    return { ...base, outcome: `error: ${(error as Error).message.slice(0, 80)}`, ok: false };
  } finally {
    await platform.close();
  }
}
