// Runs under Deno inside a function worker. Plain Deno has no `EdgeRuntime` (docs/supabase-behaviour.md#background-tasks-and-lifecycle), so the
// worker defines the part user code calls: `EdgeRuntime.waitUntil`, plus the `beforeunload` dispatch.

export type UnloadReason = "cpu" | "memory" | "wall_clock" | "early_drop" | "termination";

export interface EdgeRuntimeShim {
  /** Background promises still running; the host keeps a retired worker alive while this is non-zero. */
  pending(): number;
  /** Fires `beforeunload` once per worker, as the hosted supervisor does at 90 % of a limit. */
  dispatchBeforeUnload(reason: UnloadReason): void;
}

export function installEdgeRuntime(onPendingChange: (pending: number) => void): EdgeRuntimeShim {
  let pending = 0;
  let unloading = false;

  // `waitUntil(p)` returns `p` unchanged; non-promises are ignored (docs/supabase-behaviour.md#background-tasks-and-lifecycle). It does not extend any limit.
  const waitUntil = <T>(promise: T): T => {
    if (promise && typeof (promise as { then?: unknown }).then === "function") {
      pending += 1;
      onPendingChange(pending);
      Promise.resolve(promise)
        .then(undefined, (error) => console.error("Uncaught (in EdgeRuntime.waitUntil task)", error))
        .finally(() => {
          pending -= 1;
          onPendingChange(pending);
        });
    }
    return promise;
  };

  Object.defineProperty(globalThis, "EdgeRuntime", {
    value: Object.freeze({ waitUntil }),
    enumerable: false,
    configurable: false,
    writable: false,
  });

  return {
    pending: () => pending,
    dispatchBeforeUnload(reason) {
      if (unloading) return;
      unloading = true;
      // A cancelable CustomEvent whose detail.reason is one of the snake_case strings (docs/supabase-behaviour.md#background-tasks-and-lifecycle).
      globalThis.dispatchEvent(new CustomEvent("beforeunload", { cancelable: true, detail: { reason } }));
    },
  };
}
