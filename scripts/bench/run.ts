// `npm run bench [-- --quick] [-- --only <name>[,<name>…]] [-- --latency 40ms]`: album-upload end to end through the local
// platform, beside `bsdtar -x`, `unzip -q` and two baseline functions, on generated photo archives.
// `--only` takes archive names (stored-1g, small-10k, …) and/or runner names (album-upload,
// baseline-stream, baseline-blob, bsdtar, unzip, storage). Results also go to bench-results/latest.md.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { ARCHIVES, CACHE_DIR, ensureArchive, type Archive } from "./archives.ts";
import { FUNCTIONS, runFunction, type FunctionName } from "./run-function.ts";
import { runTool, TOOLS } from "./run-tools.ts";
import { runStorageCeiling } from "./run-storage-ceiling.ts";
import { runProxyCeiling } from "./run-proxy-ceiling.ts";
import { runSegmented } from "./run-segmented.ts";
import { benchPhotoMetadata } from "./photo-metadata.ts";
import { archivesTable, phaseLines, ratioLines, resultsTable, type Measurement } from "./table.ts";
import { capacityLines, checkTargets, segmentedLines } from "./targets.ts";
import { parseLatency } from "../../local-supabase/src/shared/latency.ts";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, only: { type: "string" }, latency: { type: "string" } } });
// `--latency 40ms`: every platform the benchmark starts adds that delay to each API call, as a hosted
// project's round trips do (local-supabase/src/shared/latency.ts); the function's Storage uploads wait too.
if (values.latency !== undefined) {
  try {
    process.env.SHOEBOX_LATENCY = `${parseLatency(values.latency)}ms`;
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
}
const only = values.only?.split(",").map((name) => name.trim()).filter(Boolean) ?? [];
const runnerNames = [...TOOLS, "storage", "proxy", ...Object.keys(FUNCTIONS), "segmented", "photo-metadata"];
/** Archives the segmented protocol also runs (besides the ones made for it), with the Storage ceiling beside them. */
const SEGMENTED_TOO = ["stored-1g", "small-10k"];
const unknown = only.filter((name) => !runnerNames.includes(name) && !ARCHIVES.some((a) => a.name === name));
if (unknown.length) {
  console.error(`Unknown --only name(s): ${unknown.join(", ")}. Archives: ${ARCHIVES.map((a) => a.name).join(", ")}; runners: ${runnerNames.join(", ")}.`);
  process.exit(2);
}
const onlyArchives = only.filter((name) => ARCHIVES.some((a) => a.name === name));
const onlyRunners = only.filter((name) => runnerNames.includes(name));
/** Runners that need no archive: naming only these runs no extraction at all. */
const ARCHIVELESS = ["photo-metadata"];
const archivesWanted = onlyArchives.length > 0 || !onlyRunners.length || onlyRunners.some((name) => !ARCHIVELESS.includes(name));
const specs = !archivesWanted ? [] : ARCHIVES.filter((a) => (onlyArchives.length ? onlyArchives.includes(a.name) : !a.onDemand && (!values.quick || a.quick)));
const wanted = (runner: string) => !onlyRunners.length || onlyRunners.includes(runner);

const log = (line: string) => line && console.log(line);
const archives: Archive[] = [];
const results: Measurement[] = [];
const startedAt = new Date();
// Other work on the machine skews every figure; the load average at the start says how quiet it was.
const loadAtStart = loadavg()[0].toFixed(2);

for (const spec of specs) {
  const archive = await ensureArchive(spec, log);
  archives.push(archive);
  const record = (m: Measurement) => {
    results.push(m);
    const rate = m.ok && m.wallSeconds ? `${(archive.archiveBytes / 1e6 / m.wallSeconds).toFixed(0)} MB/s` : "";
    log(`${archive.name.padEnd(14)} ${m.runner.padEnd(20)} ${m.outcome.padEnd(36)} ${m.wallSeconds?.toFixed(1) ?? "–"} s ${rate}`);
  };
  if (archive.segmented === "directory") {
    if (wanted("segmented")) record(await runSegmented(archive, "directory", log));
    continue;
  }
  // Flush the previous run's written files first, so its disk writeback does not slow this one.
  for (const tool of TOOLS.filter(wanted)) {
    syncDisks();
    record(await runTool(tool, archive));
  }
  if (wanted("storage")) {
    syncDisks();
    record(await runStorageCeiling(archive));
  }
  // The segmented upload's first hop (client → functions proxy → worker), beside Storage's: with both on
  // one Node thread, the two in series are its ceiling (targets.ts).
  const segmentedToo = wanted("segmented") && (archive.segmented === "upload" || SEGMENTED_TOO.includes(archive.name));
  if ((wanted("proxy") || (wanted("storage") && segmentedToo)) && !archive.deflate) {
    syncDisks();
    record(await runProxyCeiling(archive));
  }
  for (const name of (Object.keys(FUNCTIONS) as FunctionName[]).filter(wanted)) {
    if (archive.segmented) break; // the single request cannot take it under Free limits
    syncDisks();
    record(await runFunction(name, archive, log));
  }
  if (wanted("segmented") && (archive.segmented || SEGMENTED_TOO.includes(archive.name))) {
    syncDisks();
    record(await runSegmented(archive, "upload", log));
  }
  // Gigabytes of fixture are made again on the next run rather than left in the temp dir.
  if (archive.archiveBytes > 2e9) rmSync(archive.path, { force: true });
}

// Reading EXIF during extraction, timed inside Deno against reading the same bytes (photo-metadata.ts).
const photoMetadataLines = wanted("photo-metadata") ? await benchPhotoMetadata(log) : [];

const report = [
  `# Shoebox extraction benchmark`,
  ``,
  `${startedAt.toISOString()} · \`npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}\` · ` +
    `${cpus().length} cores (load ${loadAtStart} at start), Node ${process.version}, ${denoVersion()}, fixtures in ${CACHE_DIR}`,
  ``,
  `Rates are per byte of archive (decimal MB/GB). album-upload runs from the POST until the album row is`,
  `terminal; the baselines until their response; the tools until exit; "Storage direct" uploads the same`,
  `bytes with no function (the platform's ceiling). Peak RSS is the worker's VmHWM`,
  `(tools: GNU time), in MiB; CPU is user + system from the POST on (the worker was booted by a GET first),`,
  `"charged" the worker's JavaScript thread alone (what the CPU limit counts); "extraction MB/s" the`,
  `background job alone, from the 202 (archive on disk) until the album is done.`,
  `Memory stays at the Free plan's 256 MB; "lifted" lists the limits raised for the run.`,
  ``,
  archivesTable(archives),
  ``,
  resultsTable(archives, results),
  ``,
  `## Ratios`,
  ``,
  ...ratioLines(archives, results, "album-upload"),
  ``,
  `## album-upload phases`,
  ``,
  ...phaseLines(archives, results, "album-upload"),
  ``,
  `## Targets`,
  ``,
  ...checkTargets(archives, results),
  ``,
  `## Segmented upload (unchanged Free limits)`,
  ``,
  ...segmentedLines(archives, results),
  ``,
  `## Largest archive one invocation can take`,
  ``,
  ...capacityLines(archives, results),
  ``,
  ...(photoMetadataLines.length ? [`## Photo metadata`, ``, ...photoMetadataLines, ``] : []),
].join("\n");

console.log(`\n${report}`);
mkdirSync("bench-results", { recursive: true });
writeFileSync("bench-results/latest.md", report);
console.log("Written to bench-results/latest.md");

function syncDisks(): void {
  execFileSync("sync");
}

function denoVersion(): string {
  try {
    return execFileSync("node_modules/.bin/deno", ["--version"], { encoding: "utf8" }).split("\n")[0];
  } catch {
    return "deno (version unknown)";
  }
}
