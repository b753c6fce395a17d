import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startTestPlatform, ANON_KEY, type TestPlatform } from "./support/platform.ts";
import { startReporter, TEST_FUNCTIONS_DIR, type Reporter } from "./functions-support.ts";

const WORKER_LIMIT = { code: "WORKER_LIMIT", message: "Worker failed to respond due to a resource limit (please check logs)" };

// Background work and the per_worker supervisor (docs/supabase-behaviour.md#background-tasks-and-lifecycle), with limits lowered so each one is reached in
// seconds; the real plan values are the defaults.
describe("functions: background work and limits", () => {
  let t: TestPlatform;
  let reporter: Reporter;
  const call = (path: string) =>
    fetch(`${t.url}/functions/v1/${path}${path.includes("?") ? "&" : "?"}report=${encodeURIComponent(reporter.url)}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ANON_KEY}` },
    });

  before(async () => {
    reporter = await startReporter();
    t = await startTestPlatform({
      functionsDir: TEST_FUNCTIONS_DIR,
      functionLimits: { functionWallClockMs: 8_000, functionCpuSoftMs: 200, functionCpuHardMs: 400, functionIdleTimeoutMs: 6_000 },
    });
  });
  after(async () => {
    await t.close();
    await reporter.close();
  });

  test("EdgeRuntime.waitUntil work continues after the response", async () => {
    const response = await call("background");
    assert.equal(response.status, 202);
    assert.deepEqual(await response.json(), { accepted: true });
    // The background task is blocked until now, after the client holds the response.
    reporter.release();
    const done = await reporter.next((event) => event.event === "done");
    assert.equal(done.file, "written after the response");
  });

  test("the wall clock fires beforeunload 'wall_clock' while background work is pending", async () => {
    const response = await call("limits?mode=wall");
    assert.equal(response.status, 202);
    await response.text();
    const unload = await reporter.next((event) => event.event === "beforeunload");
    assert.equal(unload.reason, "wall_clock");
  });

  test("CPU time fires beforeunload 'cpu' and then ends the request with 546 WORKER_LIMIT", async () => {
    const before = reporter.events.length;
    const response = await call("limits?mode=cpu");
    assert.equal(response.status, 546);
    assert.deepEqual(await response.json(), WORKER_LIMIT);
    const unload = await reporter.next((event) => event.event === "beforeunload" && reporter.events.indexOf(event) >= before);
    assert.equal(unload.reason, "cpu");
  });

  test("a request without a response within the idle timeout answers 504", async () => {
    const response = await call("limits?mode=hang");
    assert.equal(response.status, 504);
    assert.deepEqual(await response.json(), { message: "The upstream server is timing out" });
  });
});
