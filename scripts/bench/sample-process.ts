import { readdirSync, readFileSync } from "node:fs";

// Linux /proc accounting, the same source the platform's limits supervisor reads. USER_HZ is 100.
const TICKS_PER_SECOND = 100;

export interface ProcStats {
  /** utime + stime of every thread, in seconds. */
  cpuSeconds: number;
  /**
   * utime + stime of the main thread alone: the JavaScript thread, which is what the hosted runtime's
   * CPU limit charges (and the platform's supervisor reads) — not V8's GC and compiler helper threads.
   */
  mainThreadCpuSeconds: number;
  /** VmHWM: the kernel's own peak resident set size, exact even between samples. */
  peakRssBytes: number;
  rssBytes: number;
}

export function readProcStats(pid: number): ProcStats | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const thread = readFileSync(`/proc/${pid}/task/${pid}/stat`, "utf8");
    const threadFields = thread.slice(thread.lastIndexOf(")") + 2).split(" ");
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
    return {
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
      mainThreadCpuSeconds: (Number(threadFields[11]) + Number(threadFields[12])) / TICKS_PER_SECOND,
      peakRssBytes: kb("VmHWM"),
      rssBytes: kb("VmRSS"),
    };
  } catch {
    return null; // the process is gone
  }
}

/** Pids of processes whose command line contains `needle` (NUL separators read as spaces). */
export function findPids(needle: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, "utf8").replaceAll("\0", " ").includes(needle)) pids.push(Number(name));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

/**
 * Follows one process: peak RSS (VmHWM) and CPU seconds used since `start()`. Sampling every 50 ms
 * keeps the last reading close to the end if the process is killed (the CPU of its last ≤ 50 ms is lost).
 */
export class ProcessSampler {
  private timer: NodeJS.Timeout | null = null;
  private baselineCpu = 0;
  private baselineMainCpu = 0;
  private last: ProcStats | null = null;
  peakRssBytes = 0;
  /** RSS when start() was called (the booted, idle worker). */
  startRssBytes = 0;
  exited = false;

  constructor(readonly pid: number) {}

  start(): void {
    const first = readProcStats(this.pid);
    if (!first) throw new Error(`process ${this.pid} is not running`);
    this.baselineCpu = first.cpuSeconds;
    this.baselineMainCpu = first.mainThreadCpuSeconds;
    this.startRssBytes = first.rssBytes;
    this.take(first);
    this.timer = setInterval(() => this.sample(), 50);
  }

  sample(): void {
    const stats = readProcStats(this.pid);
    if (stats) this.take(stats);
    else this.exited = true;
  }

  /** CPU seconds since start(), as of now. */
  cpuSoFar(): number {
    this.sample();
    return (this.last?.cpuSeconds ?? this.baselineCpu) - this.baselineCpu;
  }

  stop(): { cpuSeconds: number; chargedCpuSeconds: number; peakRssBytes: number; startRssBytes: number } {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    return {
      cpuSeconds: (this.last?.cpuSeconds ?? this.baselineCpu) - this.baselineCpu,
      chargedCpuSeconds: (this.last?.mainThreadCpuSeconds ?? this.baselineMainCpu) - this.baselineMainCpu,
      peakRssBytes: this.peakRssBytes,
      startRssBytes: this.startRssBytes,
    };
  }

  private take(stats: ProcStats): void {
    this.last = stats;
    this.peakRssBytes = Math.max(this.peakRssBytes, stats.peakRssBytes, stats.rssBytes);
  }
}
