import type { Archive } from "./archives.ts";
import { PLANS } from "../../local-supabase/src/shared/plan.ts";
import { BASELINE_A, BASELINE_B, chargedCpuPerGb, throughput, type Measurement } from "./table.ts";
import { DIRECTORY_ONLY, SEGMENTED } from "./run-segmented.ts";
import { STORAGE_CEILING } from "./run-storage-ceiling.ts";
import { PROXY_CEILING } from "./run-proxy-ceiling.ts";

const SUBJECT = "album-upload";
const MiB = 2 ** 20;
const RSS_CEILING = 160 * MiB;
const FLAT_GROWTH = 1.15;

type Find = (archive: string, runner: string) => Measurement | undefined;

/** The targets, each printed as PASS/FAIL with the figures it was judged on. */
export function checkTargets(archives: Archive[], results: Measurement[]): string[] {
  const find: Find = (archive, runner) => results.find((m) => m.archive === archive && m.runner === runner);
  const lines: string[] = [];
  const verdict = (pass: boolean, text: string) => lines.push(`- ${pass ? "PASS" : "FAIL"} ${text}`);
  const rss = (archive: string) => find(archive, SUBJECT)?.peakRssBytes;
  const mib = (bytes: number | undefined) => (bytes === undefined ? "–" : `${(bytes / MiB).toFixed(0)} MiB`);

  for (const archive of archives) {
    const m = find(archive.name, SUBJECT);
    if (!m) continue;
    verdict(m.ok && (m.peakRssBytes ?? Infinity) <= RSS_CEILING, `${archive.name}: worker peak RSS ${mib(m.peakRssBytes)} ≤ 160 MiB (${m.outcome})`);
  }
  const flat = (small: string, large: string) => {
    const a = rss(small), b = rss(large);
    if (a === undefined || b === undefined) return;
    verdict(b <= a * FLAT_GROWTH, `peak RSS flat ${small} → ${large}: ${mib(a)} → ${mib(b)} (+${((b / a - 1) * 100).toFixed(1)} %, limit +15 %)`);
  };
  flat("stored-100m", "stored-1g");
  flat("deflated-100m", "deflated-1g");
  flat("deflated-100m", "small-10k");

  const big = archives.find((a) => a.name === "stored-1g");
  const me = big && find(big.name, SUBJECT);
  if (big && me) {
    const against = (runner: string, factor: number, phase = "end to end") => {
      const other = find(big.name, runner);
      if (!other) return;
      const mine = throughput(me, big);
      const theirs = throughput(other, big);
      const label = `stored-1g: ${phase} throughput ≥ ${factor}× ${runner}`;
      if (mine === undefined) return verdict(false, `${label}: album-upload did not finish (${me.outcome})`);
      if (theirs === undefined) return verdict(true, `${label}: ${runner} did not finish (${other.outcome})`);
      verdict(mine >= factor * theirs, `${label}: ${mine.toFixed(0)} vs ${theirs.toFixed(0)} MB/s (${(mine / theirs).toFixed(2)}×)`);
    };
    // bsdtar and unzip stay in the results as context: every photo here crosses HTTP into Storage, so
    // the ceiling that matters is Storage direct (the segmented targets below).
    against(BASELINE_A, 2);
    against(BASELINE_B, 2);
  }
  lines.push(...segmentedTargets(archives, find));
  return lines;
}

const SEGMENTED_RSS = 160 * MiB;
const MS_PER_ENTRY = 0.25;
const S_PER_GB_STORED = 1.5;
const CEILING_SHARE = 0.8;

/** The segmented upload's targets, under the unchanged Free limits. */
function segmentedTargets(archives: Archive[], find: Find): string[] {
  const lines: string[] = [];
  const verdict = (pass: boolean, text: string) => lines.push(`- ${pass ? "PASS" : "FAIL"} ${text}`);
  for (const archive of archives) {
    const m = find(archive.name, SEGMENTED);
    if (m) {
      verdict(m.ok, `${archive.name}: complete in one drop through segments (${m.outcome})`);
      verdict(m.ok && (m.peakRssBytes ?? Infinity) <= SEGMENTED_RSS,
        `${archive.name}: every worker's peak RSS ≤ 160 MiB: largest ${((m.peakRssBytes ?? 0) / MiB).toFixed(0)} MiB over ${m.workers ?? "?"} workers`);
      const ceiling = find(archive.name, STORAGE_CEILING);
      const mine = throughput(m, archive), theirs = throughput(ceiling, archive);
      if (!archive.deflate && archive.fileBytes >= 1e6 && theirs !== undefined) {
        verdict(mine !== undefined && mine >= CEILING_SHARE * theirs,
          `${archive.name}: end-to-end throughput ≥ 0.8× Storage direct: ${mine?.toFixed(0) ?? "–"} vs ${theirs.toFixed(0)} MB/s (${mine ? (mine / theirs).toFixed(2) : "–"}×)`);
        const proxy = throughput(find(archive.name, PROXY_CEILING), archive);
        if (proxy !== undefined) {
          // Every byte crosses the functions proxy and then Storage's write path, both on the platform's
          // one Node thread: the two hops in series are what a segmented upload can reach here.
          const twoHops = 1 / (1 / proxy + 1 / theirs);
          verdict(mine !== undefined && mine >= CEILING_SHARE * twoHops,
            `${archive.name}: (proposed) end-to-end throughput ≥ 0.8× the two-hop ceiling: ${mine?.toFixed(0) ?? "–"} vs ${twoHops.toFixed(0)} MB/s ` +
            `(${mine ? (mine / twoHops).toFixed(2) : "–"}×; functions proxy alone ${proxy.toFixed(0)} MB/s, Storage direct ${theirs.toFixed(0)} MB/s, ` +
            `two hops in series 1/(1/proxy + 1/Storage) = ${(twoHops / theirs).toFixed(2)}× Storage direct)`);
        }
        // Client, platform and worker share this machine's cores: when they are what binds, the ratio can
        // reach at most Storage direct's CPU per byte over the segmented upload's (platform + worker).
        const direct = ceiling?.hostCpuSeconds, segmented = m.hostCpuSeconds !== undefined && m.cpuSeconds !== undefined ? m.hostCpuSeconds + m.cpuSeconds : undefined;
        if (direct !== undefined && segmented !== undefined) {
          const gb = archive.archiveBytes / 1e9;
          lines.push(`- INFO ${archive.name}: CPU per GB, Storage direct ${(direct / gb).toFixed(1)} s (platform) vs segmented ${(segmented / gb).toFixed(1)} s ` +
            `(platform ${(m.hostCpuSeconds! / gb).toFixed(1)} + worker ${(m.cpuSeconds! / gb).toFixed(1)}, all threads; clients not counted): on cores shared by all, ` +
            `at most ${(direct / segmented).toFixed(2)}× Storage direct`);
        }
      }
      if (m.chargedCpuSeconds !== undefined && archive.fileBytes < 1e6) {
        const perEntry = (m.chargedCpuSeconds * 1000) / archive.files;
        verdict(perEntry <= MS_PER_ENTRY, `${archive.name}: charged CPU ${perEntry.toFixed(3)} ms per entry ≤ ${MS_PER_ENTRY} ms (${m.chargedCpuSeconds.toFixed(1)} s in all)`);
      }
      if (m.chargedCpuSeconds !== undefined && !archive.deflate && archive.fileBytes >= 1e6) {
        const perGb = chargedCpuPerGb(m, archive)!;
        verdict(perGb <= S_PER_GB_STORED, `${archive.name}: charged CPU ${perGb.toFixed(2)} s per GB stored ≤ ${S_PER_GB_STORED} s`);
      }
    }
    const d = find(archive.name, DIRECTORY_ONLY);
    if (d) {
      const cpu = d.maxWorkerChargedCpuSeconds;
      verdict(d.ok && cpu !== undefined && cpu < 2,
        `${archive.name}: the ${archive.files.toLocaleString("en")}-entry directory request inside one invocation: ` +
        `${d.outcome}, ${cpu?.toFixed(2) ?? "–"} s charged CPU (limit 2 s; ${cpu ? ((cpu * 1e6) / archive.files).toFixed(1) : "–"} µs per entry, boot included), ${d.wallSeconds?.toFixed(1)} s`);
    }
  }
  return lines;
}

/** Ratios of the segmented runs, each against the Storage-direct ceiling measured in the same run. */
export function segmentedLines(archives: Archive[], results: Measurement[]): string[] {
  const find: Find = (archive, runner) => results.find((m) => m.archive === archive && m.runner === runner);
  const lines: string[] = [];
  for (const archive of archives) {
    const m = find(archive.name, SEGMENTED);
    if (!m) continue;
    const mine = throughput(m, archive), ceiling = throughput(find(archive.name, STORAGE_CEILING), archive);
    const proxy = throughput(find(archive.name, PROXY_CEILING), archive);
    lines.push(`- ${archive.name} (${(archive.archiveBytes / 1e9).toFixed(2)} GB, ${archive.files.toLocaleString("en")} files): ` +
      `${m.outcome}; ${mine?.toFixed(0) ?? "–"} MB/s end to end` + (ceiling ? ` = ${mine ? (mine / ceiling).toFixed(2) : "–"}× Storage direct (${ceiling.toFixed(0)} MB/s)` : "") +
      (proxy ? `, functions proxy alone ${proxy.toFixed(0)} MB/s` : "") +
      `; charged CPU ${m.chargedCpuSeconds?.toFixed(1) ?? "–"} s over ${m.workers ?? "?"} workers (most in one: ${m.maxWorkerChargedCpuSeconds?.toFixed(2) ?? "–"} s)`);
  }
  return lines;
}

/**
 * The largest archive one invocation can take on each plan: the smallest of what /tmp holds, what the
 * 2 s CPU limit allows at the measured CPU s/GB, and what the wall clock allows at the measured speed.
 */
export function capacityLines(archives: Archive[], results: Measurement[]): string[] {
  const lines: string[] = [];
  for (const deflate of [false, true]) {
    const measured = archives
      .filter((a) => a.deflate === deflate && a.files < 1000)
      .map((archive) => ({ archive, m: results.find((r) => r.archive === archive.name && r.runner === SUBJECT && r.ok) }))
      .filter((x): x is { archive: Archive; m: Measurement } => x.m !== undefined)
      .sort((x, y) => y.archive.archiveBytes - x.archive.archiveBytes)[0];
    const kind = deflate ? "deflated" : "stored";
    if (!measured) {
      lines.push(`- ${kind}: no successful album-upload run to compute from`);
      continue;
    }
    // The CPU limit charges the isolate's JavaScript thread (as the platform's supervisor does), so that binds.
    const cpu = chargedCpuPerGb(measured.m, measured.archive)!;
    const speed = throughput(measured.m, measured.archive)!;
    for (const plan of [PLANS.free, PLANS.pro]) {
      const bounds = {
        "/tmp": plan.functionTmpBytes,
        CPU: (plan.functionCpuHardMs / 1000 / cpu) * 1e9,
        "wall clock": (plan.functionWallClockMs / 1000) * speed * 1e6,
      };
      const [binding, bytes] = Object.entries(bounds).sort((x, y) => x[1] - y[1])[0];
      const others = Object.entries(bounds).filter(([name]) => name !== binding).map(([name, b]) => `${name} would allow ${size(b)}`);
      lines.push(`- ${plan.name}, ${kind} (${cpu.toFixed(2)} charged CPU s/GB, ${speed.toFixed(0)} MB/s from ${measured.archive.name}): ` +
        `**${size(bytes)}** — ${binding} binds (CPU ${plan.functionCpuHardMs / 1000} s, /tmp ${plan.functionTmpBytes / MiB} MiB); ${others.join(", ")}`);
    }
  }
  return lines;
}

function size(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(0)} MB`;
}
