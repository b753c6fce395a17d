import type { Archive } from "./archives.ts";
import { PLANS } from "../../local-supabase/src/shared/plan.ts";
import { BASELINE_A, BASELINE_B, chargedCpuPerGb, extractionThroughput, throughput, type Measurement } from "./table.ts";

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
    const against = (runner: string, factor: number, phase: "end to end" | "extraction" = "end to end") => {
      const other = find(big.name, runner);
      if (!other) return;
      const mine = phase === "extraction" ? extractionThroughput(me, big) : throughput(me, big);
      const theirs = throughput(other, big);
      const label = `stored-1g: ${phase} throughput ≥ ${factor}× ${runner}`;
      if (mine === undefined) return verdict(false, `${label}: album-upload did not finish (${me.outcome})`);
      if (theirs === undefined) return verdict(true, `${label}: ${runner} did not finish (${other.outcome})`);
      verdict(mine >= factor * theirs, `${label}: ${mine.toFixed(0)} vs ${theirs.toFixed(0)} MB/s (${(mine / theirs).toFixed(2)}×)`);
    };
    against("unzip -q", 1);
    against("bsdtar -x", 0.5);
    // The tools start from an archive already on disk; so does the extraction once the 202 is sent.
    against("unzip -q", 1, "extraction");
    against("bsdtar -x", 0.5, "extraction");
    against(BASELINE_A, 2);
    against(BASELINE_B, 2);
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
