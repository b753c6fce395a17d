import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { PlanLimits } from "../shared/plan.ts";
import { BootError } from "./errors.ts";
import { superviseLimits, UNLOAD_RATIO } from "./limits-supervisor.ts";
import { WorkerProcess, type WorkerSpec } from "./worker-process.ts";

/** Everything needed to start a worker for one function; built per request by the service. */
export interface FunctionTarget {
  name: string;
  dir: string;
  entrypoint: string;
  importMap?: string;
  /** Folders whose edits restart the worker in watch mode (the function's own and `_shared`). */
  watchDirs: string[];
}

export interface PoolOptions {
  limits: PlanLimits;
  watch: boolean;
  spec: Omit<WorkerSpec, "name" | "entrypoint" | "importMap" | "memoryBytes" | "tmpBytes">;
}

/**
 * One current worker per function, reused across requests (per_worker, docs/supabase-behaviour.md#background-tasks-and-lifecycle). A retired worker keeps
 * its in-flight requests and background work but gets no new requests; the next request boots a fresh one.
 */
export class WorkerPool {
  private readonly current = new Map<string, { worker: WorkerProcess; fingerprint: string }>();
  private readonly all = new Set<WorkerProcess>();
  /** Set once the platform is stopping: no new worker boots while the running ones wind down. */
  private closing = false;

  constructor(private readonly options: PoolOptions) {}

  /** A worker that has booted and may take the request; throws BootError if booting fails. */
  async acquire(target: FunctionTarget): Promise<WorkerProcess> {
    if (this.closing) throw new BootError("the platform is shutting down");
    const fingerprint = this.options.watch ? fingerprintOf(target.watchDirs) : "";
    let entry = this.current.get(target.name);
    if (entry && (!entry.worker.alive || entry.worker.retired || entry.fingerprint !== fingerprint)) {
      entry.worker.retired = true; // an edited function's old worker finishes what it has, then drops
      this.current.delete(target.name);
      entry = undefined;
    }
    if (!entry) {
      entry = { worker: this.start(target), fingerprint };
      this.current.set(target.name, entry);
    }
    const { worker } = entry;
    try {
      await worker.ready;
    } catch (error) {
      if (this.current.get(target.name)?.worker === worker) this.current.delete(target.name);
      throw error;
    }
    return worker;
  }

  async close(): Promise<void> {
    this.closing = true;
    const workers = [...this.all];
    for (const worker of workers) worker.retired = true;
    // Shutting down is a `termination` for every worker still running (docs/supabase-behaviour.md#background-tasks-and-lifecycle): tell it,
    // let its requests and `waitUntil` work settle for as long as a worker gets between `beforeunload`
    // and its wall-clock end (10 % of it), then end it.
    await Promise.all(workers.map((worker) => worker.beforeUnload("termination")));
    const graceEnds = Date.now() + this.options.limits.functionWallClockMs * (1 - UNLOAD_RATIO);
    while (Date.now() < graceEnds && workers.some((worker) => worker.alive && (worker.pending > 0 || worker.inFlight > 0))) {
      await new Promise((done) => setTimeout(done, 50));
    }
    for (const worker of workers) worker.terminate("termination");
    await Promise.all(workers.map((worker) => worker.exited));
  }

  private start(target: FunctionTarget): WorkerProcess {
    const { limits, spec } = this.options;
    const worker = new WorkerProcess({
      ...spec,
      name: target.name,
      entrypoint: target.entrypoint,
      importMap: target.importMap,
      memoryBytes: limits.functionMemoryBytes,
      tmpBytes: limits.functionTmpBytes,
    });
    this.all.add(worker);
    const stop = superviseLimits(worker, limits);
    void worker.exited.then(() => {
      stop();
      this.all.delete(worker);
      if (this.current.get(target.name)?.worker === worker) this.current.delete(target.name);
    });
    return worker;
  }
}

/** Newest mtime, file count and total size below the folders: cheap enough to check on every request in watch mode. */
function fingerprintOf(dirs: string[]): string {
  let newest = 0;
  let files = 0;
  let bytes = 0;
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (!stat) continue;
      if (stat.isDirectory()) walk(path);
      else {
        files += 1;
        bytes += stat.size;
        newest = Math.max(newest, stat.mtimeMs);
      }
    }
  };
  dirs.forEach(walk);
  return `${newest}:${files}:${bytes}`;
}
