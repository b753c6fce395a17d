import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { CACHE_DIR, type Archive } from "./archives.ts";
import type { Measurement } from "./table.ts";

export const TOOLS = ["bsdtar", "unzip"] as const;
export type ToolName = (typeof TOOLS)[number];

const COMMANDS: Record<ToolName, (archive: string, out: string) => string[]> = {
  bsdtar: (archive, out) => ["bsdtar", "-x", "-f", archive, "-C", out],
  unzip: (archive, out) => ["unzip", "-q", archive, "-d", out],
};

const TIME = "/usr/bin/time";

/** Extracts the archive to disk with a native tool; RSS and CPU from GNU time's rusage report. */
export async function runTool(tool: ToolName, archive: Archive): Promise<Measurement> {
  const base = { runner: tool === "bsdtar" ? "bsdtar -x" : "unzip -q", archive: archive.name };
  const [command] = COMMANDS[tool]("", "");
  if (!(await commandExists(command))) {
    return { ...base, outcome: `skipped: ${command} not installed${tool === "bsdtar" ? " (apt-get install -y libarchive-tools)" : ""}`, ok: false };
  }
  if (!existsSync(TIME)) return { ...base, outcome: `skipped: ${TIME} not installed (apt-get install -y time)`, ok: false };
  const out = join(CACHE_DIR, `out-${tool}`);
  const report = join(CACHE_DIR, `time-${tool}.txt`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  try {
    const started = performance.now();
    const code = await run(TIME, ["-v", "-o", report, ...COMMANDS[tool](archive.path, out)]);
    const wallSeconds = (performance.now() - started) / 1000;
    const text = readFileSync(report, "utf8");
    const seconds = (label: string) => Number(new RegExp(`${label} \\(seconds\\): ([\\d.]+)`).exec(text)?.[1] ?? NaN);
    const maxRssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(text)?.[1] ?? NaN);
    return {
      ...base,
      outcome: code === 0 ? "ok" : `exit ${code}`,
      ok: code === 0,
      wallSeconds,
      cpuSeconds: seconds("User time") + seconds("System time"),
      peakRssBytes: maxRssKb * 1024,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function run(command: string, args: string[]): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "inherit"] });
    child.once("error", fail);
    child.once("exit", (code) => done(code ?? -1));
  });
}

async function commandExists(command: string): Promise<boolean> {
  return (await run("sh", ["-c", `command -v ${command} >/dev/null`])) === 0;
}
