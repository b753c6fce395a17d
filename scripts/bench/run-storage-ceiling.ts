import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startPlatform } from "../../local-supabase/src/platform.ts";
import { SERVICE_ROLE_KEY } from "../../local-supabase/src/shared/keys.ts";
import type { Archive } from "./archives.ts";
import type { Measurement } from "./table.ts";

export const STORAGE_CEILING = "Storage direct (ceiling)";
/** album-upload's own concurrency (entry-plan.ts CONCURRENCY). */
const IN_FLIGHT = 2;
const CLIENT = fileURLToPath(new URL("./storage-client.mjs", import.meta.url));

/**
 * How fast the local platform's Storage takes the same bytes with no function at all: the archive cut
 * into as many objects as it has files, streamed from another process with the service role, 2 at a time.
 * An end-to-end run through a function cannot beat this, so it tells the function's cost apart from
 * the platform's (whose Storage and database share one Node process with the gateway).
 */
export async function runStorageCeiling(archive: Archive): Promise<Measurement> {
  const platform = await startPlatform({ memory: true, port: 0, plan: "free", log: () => {} });
  const base = { runner: STORAGE_CEILING, archive: archive.name };
  try {
    const started = performance.now();
    const hostCpu = process.cpuUsage();
    await uploadFromAnotherProcess(`${platform.url}/storage/v1/object/photos/ceiling`, archive);
    const host = process.cpuUsage(hostCpu);
    return { ...base, outcome: `ok (${archive.files} objects)`, ok: true, wallSeconds: (performance.now() - started) / 1000, hostCpuSeconds: (host.user + host.system) / 1e6 };
  } catch (error) {
    return { ...base, outcome: `error: ${(error as Error).message.slice(0, 80)}`, ok: false };
  } finally {
    await platform.close();
  }
}

/**
 * The uploads come from a process of their own, as the function's do: a client sharing the platform's
 * event loop would slow the Storage it measures and bill its own CPU to the platform.
 */
function uploadFromAnotherProcess(prefix: string, archive: Archive): Promise<void> {
  const args = [CLIENT, prefix, archive.path, String(archive.archiveBytes), String(archive.files), String(IN_FLIGHT), SERVICE_ROLE_KEY];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
    const errors: Buffer[] = [];
    child.stderr.on("data", (chunk: Buffer) => errors.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(Buffer.concat(errors).toString("utf8").trim() || `client exited with ${code}`))));
  });
}
