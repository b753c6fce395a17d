import type { Archive } from "./archives.ts";

/** One runner on one archive. Rates are per byte of ARCHIVE (what is uploaded and spooled), decimal units. */
export interface Measurement {
  runner: string;
  archive: string;
  /** "ready", "ok", "546 WORKER_LIMIT (memory)", "skipped: …" */
  outcome: string;
  /** Finished and produced every file. */
  ok: boolean;
  wallSeconds?: number;
  /** CPU of every thread of the worker (tools: user + system). */
  cpuSeconds?: number;
  /** CPU of the worker's JavaScript thread: what the hosted CPU limit charges. */
  chargedCpuSeconds?: number;
  peakRssBytes?: number;
  /** Worker RSS once booted, before the POST. */
  startRssBytes?: number;
  /** Seconds until the function answered (album-upload: the 202 after spooling). */
  answeredSeconds?: number;
  /** Worker CPU seconds used by then. */
  answeredCpuSeconds?: number;
  /** CPU of the Node process hosting the platform (gateway, Storage, PGlite) during the run. */
  hostCpuSeconds?: number;
  /** Platform limits lifted for this run (memory never is). */
  lifted?: string;
  /** Segmented runs: workers booted, and the most CPU any one of them was charged. */
  workers?: number;
  maxWorkerChargedCpuSeconds?: number;
}

export const BASELINE_A = "baseline (a) stream";
export const BASELINE_B = "baseline (b) blob";

const MB = 1e6;
const fixed = (value: number | undefined, digits: number) => (value === undefined || !Number.isFinite(value) ? "–" : value.toFixed(digits));

export function throughput(m: Measurement | undefined, archive: Archive): number | undefined {
  return m?.ok && m.wallSeconds ? archive.archiveBytes / MB / m.wallSeconds : undefined;
}

export function cpuPerGb(m: Measurement | undefined, archive: Archive): number | undefined {
  return m?.cpuSeconds === undefined ? undefined : m.cpuSeconds / (archive.archiveBytes / 1e9);
}

/** CPU seconds per GB the hosted runtime would charge (the JavaScript thread). */
export function chargedCpuPerGb(m: Measurement | undefined, archive: Archive): number | undefined {
  return m?.chargedCpuSeconds === undefined ? undefined : m.chargedCpuSeconds / (archive.archiveBytes / 1e9);
}

/**
 * MB/s of the background extraction alone: from the 202 (archive spooled to disk) until the album is
 * done (every photo in Storage). The tools start from an archive on disk too, so this is the like-for-
 * like figure beside them; the end-to-end one also pays for sending the archive over HTTP.
 */
export function extractionThroughput(m: Measurement | undefined, archive: Archive): number | undefined {
  // Only a function that answers before it is done (album-upload's 202) has a background phase.
  if (!m?.ok || m.wallSeconds === undefined || m.answeredSeconds === undefined || m.runner !== "album-upload") return undefined;
  return archive.archiveBytes / MB / (m.wallSeconds - m.answeredSeconds);
}

/** Throughput of `m` over `other`'s, or why there is none (e.g. a baseline that hit the memory limit). */
export function ratio(m: Measurement | undefined, other: Measurement | undefined, archive: Archive): number | string {
  const mine = throughput(m, archive);
  const theirs = throughput(other, archive);
  if (!other) return "not run";
  if (theirs === undefined) return `${other.runner} failed: ${other.outcome}`;
  if (mine === undefined) return `${m?.runner} failed: ${m?.outcome}`;
  return mine / theirs;
}

/** Short cell for the table: "2.30×" or "n/a (546)". */
function ratioCell(m: Measurement, other: Measurement | undefined, archive: Archive): string {
  if (!other) return "–";
  const value = ratio(m, other, archive);
  if (typeof value === "number") return `${value.toFixed(2)}×`;
  return throughput(other, archive) === undefined ? `n/a (${other.outcome.split(" ")[0]})` : "n/a";
}

export function resultsTable(archives: Archive[], results: Measurement[]): string {
  const lines = [
    "| archive | runner | outcome | wall s | answered s | MB/s | extraction MB/s | × (a) | × (b) | peak RSS MiB | CPU s | CPU s/GB | charged CPU s/GB | host CPU s | lifted |",
    "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
  ];
  for (const archive of archives) {
    const mine = results.filter((m) => m.archive === archive.name);
    const a = mine.find((m) => m.runner === BASELINE_A);
    const b = mine.find((m) => m.runner === BASELINE_B);
    for (const m of mine) {
      const isBaseline = m === a || m === b;
      lines.push(`| ${archive.name} | ${m.runner} | ${m.outcome} | ${fixed(m.wallSeconds, 1)} | ${fixed(m.answeredSeconds, 1)} | ` +
        `${fixed(throughput(m, archive), 0)} | ${fixed(extractionThroughput(m, archive), 0)} | ${isBaseline ? "" : ratioCell(m, a, archive)} | ${isBaseline ? "" : ratioCell(m, b, archive)} | ` +
        `${fixed(m.peakRssBytes === undefined ? undefined : m.peakRssBytes / 2 ** 20, 0)} | ${fixed(m.cpuSeconds, 2)} | ` +
        `${fixed(m.ok ? cpuPerGb(m, archive) : undefined, 2)} | ${fixed(m.ok ? chargedCpuPerGb(m, archive) : undefined, 2)} | ${fixed(m.hostCpuSeconds, 2)} | ${m.lifted ?? ""} |`);
    }
  }
  return lines.join("\n");
}

export function archivesTable(archives: Archive[]): string {
  return [
    "| archive | files | content MB | archive MB | method |",
    "|---|--:|--:|--:|---|",
    ...archives.map((a) => `| ${a.name} | ${a.files} | ${(a.contentBytes / MB).toFixed(0)} | ${(a.archiveBytes / MB).toFixed(0)} | ${a.deflate ? "deflate" : "stored"} |`),
  ].join("\n");
}

/** "album-upload throughput = 2.30× baseline (a) stream, 1.10× unzip -q, …" per archive. */
export function ratioLines(archives: Archive[], results: Measurement[], subject: string): string[] {
  const lines: string[] = [];
  for (const archive of archives) {
    const mine = results.filter((m) => m.archive === archive.name);
    const me = mine.find((m) => m.runner === subject);
    if (!me) continue;
    const parts = mine.filter((m) => m !== me).map((other) => {
      const value = ratio(me, other, archive);
      return typeof value === "number" ? `${value.toFixed(2)}× ${other.runner}` : `n/a vs ${other.runner} (${value})`;
    });
    if (parts.length) lines.push(`- ${archive.name}: ${subject} throughput = ${parts.join("; ")}`);
  }
  return lines;
}

/** album-upload's two phases: receiving (spool, directory check, rows → 202) and background extraction. */
export function phaseLines(archives: Archive[], results: Measurement[], subject: string): string[] {
  return results
    .filter((m) => m.runner === subject && m.ok && m.answeredSeconds !== undefined && m.answeredCpuSeconds !== undefined)
    .map((m) => {
      const archive = archives.find((a) => a.name === m.archive)!;
      const gb = archive.archiveBytes / 1e9;
      const extractWall = m.wallSeconds! - m.answeredSeconds!;
      const extractCpu = m.cpuSeconds! - m.answeredCpuSeconds!;
      const idle = m.startRssBytes === undefined ? "" : `worker RSS ${(m.startRssBytes / 2 ** 20).toFixed(0)} MiB booted → ${(m.peakRssBytes! / 2 ** 20).toFixed(0)} MiB peak · `;
      return `- ${m.archive}: ${idle}until 202 ${m.answeredSeconds!.toFixed(1)} s, ${(m.answeredCpuSeconds! / gb).toFixed(2)} CPU s/GB · ` +
        `extraction ${extractWall.toFixed(1)} s (${(archive.archiveBytes / 1e6 / extractWall).toFixed(0)} MB/s), ${(extractCpu / gb).toFixed(2)} CPU s/GB`;
    });
}
