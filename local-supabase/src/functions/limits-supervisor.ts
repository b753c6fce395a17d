import type { PlanLimits } from "../shared/plan.ts";
import { cpuMs, rssBytes } from "./proc-stats.ts";
import type { WorkerProcess } from "./worker-process.ts";

const SAMPLE_MS = 100;
/** beforeunload fires at 90 % of a limit (edge-runtime's default `--dispatch-beforeunload-*-ratio`, docs/supabase-behaviour.md#background-tasks-and-lifecycle). */
export const UNLOAD_RATIO = 0.9;
const UNLOAD_GRACE_MS = 200;

type LimitReason = "wall_clock" | "cpu" | "memory";

/**
 * The per_worker supervisor (wall clock, CPU, memory; docs/supabase-behaviour.md#background-tasks-and-lifecycle, #function-limits), sampling the worker every 100 ms.
 * Wall clock counts from worker start: at 50 % the worker is retired, at 90 % `beforeunload`, at 100 %
 * it is terminated. CPU counts from the first request: the soft limit retires, 90 % of the hard limit
 * fires `beforeunload`, the hard limit terminates. Memory (RSS) fires at 90 % and terminates at 100 %.
 * A retired worker with no request in flight and no `waitUntil` work pending is dropped early.
 */
export function superviseLimits(worker: WorkerProcess, limits: PlanLimits): () => void {
  // A busy machine can stretch one sampling interval past both the 90 % mark and the limit; the worker
  // still gets its beforeunload first, with a moment for the handler to run, before it is ended.
  const end = (reason: LimitReason) => {
    clearInterval(timer);
    if (worker.unloadDispatched) return worker.terminate(reason);
    void worker.beforeUnload(reason).then(() => setTimeout(() => worker.terminate(reason), UNLOAD_GRACE_MS));
  };
  const timer = setInterval(() => {
    if (!worker.alive) return clearInterval(timer);
    const wall = Date.now() - worker.startedAt;
    if (wall >= limits.functionWallClockMs) return end("wall_clock");
    if (wall >= limits.functionWallClockMs * UNLOAD_RATIO) void worker.beforeUnload("wall_clock");
    if (wall >= limits.functionWallClockMs / 2) worker.retired = true;

    const cpuNow = worker.cpuBaselineMs === null ? null : cpuMs(worker.pid);
    if (cpuNow !== null && worker.cpuBaselineMs !== null) {
      const cpu = cpuNow - worker.cpuBaselineMs;
      if (cpu >= limits.functionCpuHardMs) return end("cpu");
      if (cpu >= limits.functionCpuHardMs * UNLOAD_RATIO) void worker.beforeUnload("cpu");
      if (cpu >= limits.functionCpuSoftMs) worker.retired = true;
    }

    const rss = rssBytes(worker.pid);
    if (rss !== null) {
      if (rss >= limits.functionMemoryBytes) return end("memory");
      if (rss >= limits.functionMemoryBytes * UNLOAD_RATIO) void worker.beforeUnload("memory");
    }

    if (worker.retired && worker.inFlight === 0 && worker.pending === 0) {
      clearInterval(timer);
      // Like a limit, an early drop gives the beforeunload handler a moment before the worker ends.
      void worker.beforeUnload("early_drop").then(() => setTimeout(() => worker.terminate("early_drop"), UNLOAD_GRACE_MS));
    }
  }, SAMPLE_MS);
  timer.unref();
  return () => clearInterval(timer);
}
