import { readFileSync } from "node:fs";

// Linux exposes per-process CPU and memory in /proc; the supervisor samples them like the hosted
// supervisor samples its isolates. USER_HZ is 100 on every Linux ABI Node supports.
const TICKS_PER_SECOND = 100;

/**
 * User + system CPU time of the worker's JavaScript thread in milliseconds, or null once it is gone.
 * The hosted supervisor times the isolate's own thread (docs/supabase-behaviour.md#background-tasks-and-lifecycle), not V8's background compiler
 * and garbage-collector helpers; in a Deno process the isolate runs on the main thread (tid = pid), so
 * counting the whole process would charge a function for work the hosted platform does not count.
 */
export function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15 of the whole line.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** Resident set size in bytes (VmRSS), or null once the process is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}
