import { spawn, type ChildProcess } from "node:child_process";
import { request } from "node:http";
import { mkdirSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BootError } from "./errors.ts";
import { cpuMs } from "./proc-stats.ts";
import { createWorkerAgent } from "./worker-agent.ts";
import { v8HeapFlags } from "./v8-heap.ts";

export type EndReason = "cpu" | "memory" | "wall_clock" | "early_drop" | "termination" | "crash";
/** Ends that answer in-flight requests with 546 WORKER_LIMIT rather than 500 WORKER_ERROR (docs/supabase-behaviour.md#routing-and-jwt-verification). */
export const LIMIT_REASONS: ReadonlySet<EndReason> = new Set(["cpu", "memory", "wall_clock"]);

export interface WorkerSpec {
  name: string;
  denoPath: string;
  bootstrapPath: string;
  entrypoint: string;
  /** deno.json / deno.jsonc (passed as --config) or an import map JSON (--import-map). */
  importMap?: string;
  cwd: string;
  workersDir: string;
  env: Record<string, string>;
  memoryBytes: number;
  tmpBytes: number;
  log: (line: string) => void;
}

/** One Deno process serving one function (per_worker policy: reused across requests, docs/supabase-behaviour.md#background-tasks-and-lifecycle). */
export class WorkerProcess {
  readonly id = randomBytes(4).toString("hex");
  readonly startedAt = Date.now();
  readonly rootDir: string;
  readonly socketPath: string;
  readonly agent = createWorkerAgent();
  readonly ready: Promise<void>;
  readonly exited: Promise<void>;
  inFlight = 0;
  pending = 0;
  retired = false;
  /** CPU time already used when the first request arrived; CPU limits count from there. */
  cpuBaselineMs: number | null = null;
  endReason: EndReason | null = null;
  private readonly child: ChildProcess;
  private unloadSent = false;

  constructor(readonly spec: WorkerSpec) {
    this.rootDir = join(spec.workersDir, `${spec.name}-${this.id}`);
    const tmpDir = join(this.rootDir, "tmp");
    this.socketPath = join(this.rootDir, "w.sock");
    if (this.socketPath.length > 100) throw new Error(`worker socket path too long for a unix socket: ${this.socketPath}`);
    mkdirSync(tmpDir, { recursive: true });
    const nonce = randomBytes(8).toString("hex");
    const args = [
      "run", "--cached-only", "--node-modules-dir=manual", "--no-prompt",
      ...(spec.importMap ? [/deno\.jsonc?$/.test(spec.importMap) ? `--config=${spec.importMap}` : `--import-map=${spec.importMap}`] : []),
      "--allow-net", "--allow-env", "--allow-read", `--allow-write=${tmpDir},${this.socketPath}`,
      `--v8-flags=${[v8HeapFlags(spec.memoryBytes), ...profilingFlags()].join(",")}`,
      spec.bootstrapPath,
    ];
    // Only the function's variables and the worker's own settings: nothing of the host's environment.
    const env: Record<string, string> = {
      ...spec.env,
      NO_COLOR: "1",
      DENO_NO_UPDATE_CHECK: "1",
      SHOEBOX_INTERNAL_ENTRYPOINT: pathToFileURL(spec.entrypoint).href,
      SHOEBOX_INTERNAL_SOCKET: this.socketPath,
      SHOEBOX_INTERNAL_TMP_DIR: tmpDir,
      SHOEBOX_INTERNAL_TMP_QUOTA: String(spec.tmpBytes),
      SHOEBOX_INTERNAL_NONCE: nonce,
    };
    this.child = spawn(spec.denoPath, args, { cwd: spec.cwd, stdio: ["ignore", "pipe", "pipe"], env: env as NodeJS.ProcessEnv });
    const prefix = `[functions:${spec.name}]`;
    let sawOutOfMemory = false;
    let onReady: () => void = () => {};
    this.ready = new Promise<void>((resolve) => (onReady = resolve));
    readLines(this.child.stdout!, (line) => {
      const control = line.startsWith(`\u001e${nonce} `) ? line.slice(nonce.length + 2) : null;
      if (control === "ready") onReady();
      else if (control?.startsWith("pending ")) this.pending = Number(control.slice(8));
      else if (control === null) spec.log(`${prefix} ${line}`);
    });
    readLines(this.child.stderr!, (line) => {
      // V8 aborts the process when its heap passes --max-old-space-size: that is the memory limit too.
      if (/out of memory|Reached heap limit/i.test(line)) sawOutOfMemory = true;
      spec.log(`${prefix} ${line}`);
    });
    this.exited = new Promise<void>((resolve) => {
      this.child.once("exit", (code, signal) => {
        if (!this.endReason) this.endReason = sawOutOfMemory ? "memory" : "crash";
        if (this.endReason === "crash") spec.log(`${prefix} worker exited (${signal ?? `code ${code}`})`);
        else spec.log(`${prefix} worker ended: ${this.endReason}`);
        this.agent.destroy();
        rmSync(this.rootDir, { recursive: true, force: true });
        resolve();
      });
    });
    const bootFailed = this.exited.then(() => {
      throw new BootError(`worker for ${spec.name} exited before serving`);
    });
    this.ready = Promise.race([this.ready, bootFailed]);
    this.ready.catch(() => {});
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get alive(): boolean {
    return this.endReason === null;
  }

  /** Called by the proxy for every request; the CPU clock starts with the first one. */
  beginRequest(): void {
    this.inFlight += 1;
    if (this.cpuBaselineMs === null) this.cpuBaselineMs = cpuMs(this.pid) ?? 0;
  }

  endRequest(): void {
    this.inFlight -= 1;
  }

  get unloadDispatched(): boolean {
    return this.unloadSent;
  }

  /** Asks the worker to fire `beforeunload` (once) through its private socket. */
  beforeUnload(reason: Exclude<EndReason, "crash">): Promise<void> {
    if (this.unloadSent || !this.alive) return Promise.resolve();
    this.unloadSent = true;
    return new Promise<void>((resolve) => {
      const req = request({ socketPath: this.socketPath, agent: this.agent, method: "POST", path: `/_shoebox/beforeunload?reason=${reason}` });
      req.on("response", (res) => res.resume().on("end", resolve));
      req.on("error", () => resolve());
      req.setTimeout(1000, () => {
        req.destroy();
        resolve();
      });
      req.end();
    });
  }

  /** Ends the worker now; its background work stops with it (docs/supabase-behaviour.md#background-tasks-and-lifecycle). */
  terminate(reason: Exclude<EndReason, "crash">): void {
    if (!this.alive) return;
    this.endReason = reason;
    this.retired = true;
    this.child.kill("SIGKILL");
  }
}

/**
 * Extra V8 flags for profiling a worker by hand, never set by default: `SHOEBOX_WORKER_V8_FLAGS=--perf-basic-prof`
 * lets `perf record` name the JavaScript frames of the worker's thread (scripts/bench/README.md#profiling-a-worker).
 */
function profilingFlags(): string[] {
  return (process.env.SHOEBOX_WORKER_V8_FLAGS ?? "").split(",").map((flag) => flag.trim()).filter(Boolean);
}

function readLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffered = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      onLine(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
    }
  });
  stream.on("end", () => buffered && onLine(buffered));
}
