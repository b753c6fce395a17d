import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { startTestPlatform, ANON_KEY, type TestPlatform } from "./support/platform.ts";
import { startReporter, TEST_FUNCTIONS_DIR, type Reporter } from "./functions-support.ts";

const WORKER_LIMIT = { code: "WORKER_LIMIT", message: "Worker failed to respond due to a resource limit (please check logs)" };
const QUOTA = 1024 * 1024;

// The hosted sandbox (docs/supabase-behaviour.md#file-system-and-tmp) and the memory limit (docs/supabase-behaviour.md#function-limits) at the plan's real 256 MB; only the /tmp quota is
// lowered so it is reached quickly.
describe("functions: sandbox, /tmp and memory", () => {
  let t: TestPlatform;
  let reporter: Reporter;
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${t.url}/functions/v1/${path}`, { ...init, headers: { Authorization: `Bearer ${ANON_KEY}` } });

  before(async () => {
    reporter = await startReporter();
    t = await startTestPlatform({ functionsDir: TEST_FUNCTIONS_DIR, functionLimits: { functionTmpBytes: QUOTA } });
  });
  after(async () => {
    await t.close();
    await reporter.close();
  });

  test("blocked Deno APIs throw PermissionDenied; sync writes only during init; exit and kill are no-ops", async () => {
    const response = await call("sandbox?op=blocked");
    assert.equal(response.status, 200);
    const { initWrite, results } = await response.json();
    assert.equal(initWrite, "ok");
    const allowed = ["exit", "kill", "stat", "readTextFileSync", "makeTempDir"];
    for (const [api, outcome] of Object.entries(results)) {
      assert.equal(outcome, allowed.includes(api) ? "ok" : "PermissionDenied", api);
    }
    assert.ok(Object.keys(results).length > 25);
  });

  test("/tmp is private to each worker and lives under the platform's data directory", async () => {
    const written = await (await call("sandbox?op=write&name=secret.txt&text=mine")).json();
    assert.equal(written.realPath, "/tmp/secret.txt");
    assert.match(written.tempDir, /^\/tmp\/\w+/);
    assert.deepEqual(await (await call("sandbox?op=read&name=secret.txt")).json(), { text: "mine" });
    assert.deepEqual(await (await call("tmp-peek?op=read&name=secret.txt")).json(), { error: "NotFound" });
    const workers = readdirSync(join(t.platform.context.dataDir, "functions", "workers"));
    assert.ok(workers.some((dir) => dir.startsWith("sandbox-") && readdirSync(join(t.platform.context.dataDir, "functions", "workers", dir, "tmp")).includes("secret.txt")));
  });

  test("writes beyond the /tmp quota fail with 'filesystem quota exceeded'", async () => {
    const tooBig = await call("sandbox?op=spool&name=big.bin", { method: "POST", body: new Uint8Array(3 * QUOTA) });
    assert.equal(tooBig.status, 507);
    const failure = await tooBig.json();
    assert.equal(failure.error, "filesystem quota exceeded");
    assert.ok(failure.writtenBeforeFailure <= QUOTA);
    // The failed spool was removed, so the space is free again.
    const fits = await call("sandbox?op=spool&name=small.bin", { method: "POST", body: new Uint8Array(QUOTA / 2) });
    assert.equal(fits.status, 200);
    assert.deepEqual(await fits.json(), { bytes: QUOTA / 2 });
  });

  test("a worker allocating past 256 MB is ended with 546 WORKER_LIMIT", async () => {
    const response = await call("hog");
    assert.equal(response.status, 546);
    assert.deepEqual(await response.json(), WORKER_LIMIT);
  });

  test("memory fires beforeunload 'memory' before the worker is ended", async () => {
    const response = await call(`limits?mode=memory&report=${encodeURIComponent(reporter.url)}`);
    assert.equal(response.status, 546);
    assert.deepEqual(await response.json(), WORKER_LIMIT);
    const unload = await reporter.next((event) => event.event === "beforeunload");
    assert.equal(unload.reason, "memory");
  });
});
