// Answers at once and keeps working afterwards through EdgeRuntime.waitUntil (docs/supabase-behaviour.md#background-tasks-and-lifecycle).
import { report } from "../_shared/report.ts";

declare const EdgeRuntime: { waitUntil(promise: Promise<unknown>): void };

Deno.serve((req) => {
  const target = new URL(req.url).searchParams.get("report");
  const work = (async () => {
    // Waits until the test says it has the response, proving the work outlives the request.
    await fetch(`${target}/go`);
    await Deno.writeTextFile("/tmp/background.txt", "written after the response");
    await report(target, { event: "done", file: await Deno.readTextFile("/tmp/background.txt") });
  })();
  EdgeRuntime.waitUntil(work);
  return new Response(JSON.stringify({ accepted: true }), { status: 202, headers: { "content-type": "application/json" } });
});
