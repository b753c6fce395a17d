import { createReadStream } from "node:fs";
import { request } from "node:http";
import { startPlatform } from "../../local-supabase/src/platform.ts";
import { SERVICE_ROLE_KEY } from "../../local-supabase/src/shared/keys.ts";
import type { Archive } from "./archives.ts";
import type { Measurement } from "./table.ts";

export const STORAGE_CEILING = "Storage direct (ceiling)";
/** album-upload's own concurrency (entry-plan.ts CONCURRENCY). */
const IN_FLIGHT = 2;

/**
 * How fast the local platform's Storage takes the same bytes with no function at all: the archive cut
 * into as many objects as it has files, streamed from this process with the service role, 2 at a time.
 * An end-to-end run through a function cannot beat this, so it tells the function's cost apart from
 * the platform's (whose Storage and database share one Node process with the gateway).
 */
export async function runStorageCeiling(archive: Archive): Promise<Measurement> {
  const platform = await startPlatform({ memory: true, port: 0, plan: "free", log: () => {} });
  const base = { runner: STORAGE_CEILING, archive: archive.name };
  try {
    const slice = Math.ceil(archive.archiveBytes / archive.files);
    let next = 0;
    const started = performance.now();
    const hostCpu = process.cpuUsage();
    const lane = async () => {
      for (let i = next++; i < archive.files; i = next++) {
        const start = i * slice;
        const end = Math.min(archive.archiveBytes, start + slice);
        await upload(`${platform.url}/storage/v1/object/photos/ceiling/${i}.jpg`, archive.path, start, end);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
    const host = process.cpuUsage(hostCpu);
    return { ...base, outcome: `ok (${archive.files} objects)`, ok: true, wallSeconds: (performance.now() - started) / 1000, hostCpuSeconds: (host.user + host.system) / 1e6 };
  } catch (error) {
    return { ...base, outcome: `error: ${(error as Error).message.slice(0, 80)}`, ok: false };
  } finally {
    await platform.close();
  }
}

function upload(url: string, path: string, start: number, end: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "POST",
      headers: { apikey: SERVICE_ROLE_KEY, Authorization: `Bearer ${SERVICE_ROLE_KEY}`, "content-type": "image/jpeg", "content-length": String(end - start) },
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`${res.statusCode} ${Buffer.concat(chunks).toString("utf8")}`))));
    });
    req.on("error", reject);
    createReadStream(path, { start, end: end - 1 }).pipe(req);
  });
}
