// Runs under Deno. The calls a hosted user worker may never make (docs/supabase-behaviour.md#file-system-and-tmp):
// they throw PermissionDenied, while process-level calls (`exit`, `kill`, signal listeners) are silent no-ops.

// deno-lint-ignore no-explicit-any
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFn = (...args: any[]) => any;
/** The Deno namespace's own functions, bound, captured before any shim replaces them. */
export type RealCalls = Record<string, AnyFn>;

const ALWAYS_BLOCKED = [
  "rename", "renameSync", "copyFile", "copyFileSync", "truncate", "truncateSync", "ftruncate", "ftruncateSync",
  "chmod", "chmodSync", "chown", "chownSync", "link", "linkSync", "symlink", "symlinkSync", "readLink",
  "readLinkSync", "utime", "utimeSync", "futime", "futimeSync", "fstat", "fstatSync", "fsync", "fsyncSync",
  "fdatasync", "fdatasyncSync", "flock", "flockSync", "funlock", "funlockSync", "createSync", "umask", "watchFs",
  "chdir", "dlopen", "cron", "run",
];
const SILENT_NO_OPS = ["kill", "exit", "addSignalListener", "removeSignalListener"];

/** A replacement for `Deno.<name>` that throws the runtime's PermissionDenied. */
export const denied = (name: string) => () => {
  throw new Deno.errors.PermissionDenied(`Deno.${name} is blocklisted`);
};

/** Always-blocked calls and silent no-ops, by name. */
export function blockedCalls(): Record<string, AnyFn> {
  const calls: Record<string, AnyFn> = {};
  for (const name of ALWAYS_BLOCKED) calls[name] = denied(name);
  for (const name of SILENT_NO_OPS) calls[name] = () => {};
  return calls;
}

/** `new Deno.Command(...)` is subprocess spawning, which user workers cannot do. */
export class BlockedCommand {
  constructor() {
    denied("Command")();
  }
}
