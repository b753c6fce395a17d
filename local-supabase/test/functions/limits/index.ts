// Pushes a worker into one limit (?mode=wall|cpu|memory|hang) and reports the beforeunload reason it gets.
import { report } from "../_shared/report.ts";

declare const EdgeRuntime: { waitUntil(promise: Promise<unknown>): void };

let target: string | null = null;
let unloading: Promise<void> | null = null;
addEventListener("beforeunload", (event) => {
  unloading = report(target, { event: "beforeunload", reason: (event as CustomEvent).detail?.reason });
});

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

async function burnCpu(): Promise<never> {
  for (;;) {
    if (unloading) await unloading; // report first, then keep burning until the worker is ended
    const until = performance.now() + 20;
    while (performance.now() < until) Math.sqrt(Math.random());
    await tick(); // lets the beforeunload event in between slices
  }
}

async function allocate(): Promise<never> {
  const held: Uint8Array[] = [];
  for (;;) {
    if (unloading) await unloading; // report first, then keep allocating until the worker is ended
    held.push(new Uint8Array(8 * 1024 * 1024).fill(1));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

Deno.serve((req) => {
  const url = new URL(req.url);
  target = url.searchParams.get("report");
  const mode = url.searchParams.get("mode");
  if (mode === "cpu") return burnCpu();
  if (mode === "memory") return allocate();
  if (mode === "hang") return new Promise<Response>(() => {});
  // wall: answer, then keep a background task pending until the wall clock runs out.
  EdgeRuntime.waitUntil(new Promise(() => {}));
  return new Response("accepted", { status: 202 });
});
