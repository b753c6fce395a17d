// Runs under Deno. Makes the Deno namespace behave like a hosted user worker (docs/supabase-behaviour.md#file-system-and-tmp):
// `/tmp` is private and quota-bound, some APIs are always blocked, sync writes are blocked after module
// init, and process-level calls are silent no-ops. Code that works here therefore also works hosted.
// Each family of calls lives in its own file; this one puts them in place.
import { BlockedCommand, blockedCalls, type RealCalls } from "./fs-denied.ts";
import { fileHandleCalls } from "./fs-file-handles.ts";
import { asyncPathCalls, initOnlySyncCalls } from "./fs-path-calls.ts";
import { TmpFs } from "./tmp-fs.ts";

export function installFsShims(tmpRoot: string, quotaBytes: number, initDone: () => boolean): void {
  const real = realCalls();
  const tmp = new TmpFs(tmpRoot, quotaBytes, real.lstatSync, real.readDirSync);
  const shims = {
    ...fileHandleCalls(real, tmp),
    ...asyncPathCalls(real, tmp),
    ...initOnlySyncCalls(real, tmp, initDone),
    ...blockedCalls(),
  };
  for (const [name, value] of Object.entries(shims)) {
    Object.defineProperty(Deno, name, { value, writable: true, configurable: true, enumerable: true });
  }
  Object.defineProperty(Deno, "Command", { value: BlockedCommand, writable: true, configurable: true });
}

/** Every function on the Deno namespace as it is before the shims, bound to it. */
function realCalls(): RealCalls {
  const deno = Deno as unknown as Record<string, unknown>;
  const real: RealCalls = {};
  for (const name of Object.keys(deno)) {
    const value = deno[name];
    if (typeof value === "function") real[name] = value.bind(Deno);
  }
  return real;
}
