import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import type { SupabaseClient } from "@supabase/supabase-js";
import { startTestPlatform, SERVICE_ROLE_KEY, type TestPlatform } from "./support/platform.ts";
import { objectNames, storageUrl, storedFiles } from "./storage-support.ts";

const code = (error: unknown) => (error as { statusCode?: string } | null)?.statusCode;

/**
 * Internal: these change the platform's config and read its disk. The limits a client can observe from
 * outside are in storage-upload-limits.test.ts.
 */
describe("storage upload limits and failed uploads (docs/supabase-behaviour.md#storage-errors, #uploads)", () => {
  let tp: TestPlatform;
  let service: SupabaseClient;
  before(async () => {
    tp = await startTestPlatform();
    service = tp.service();
  });
  after(() => tp.close());

  test("the project limit applies when the bucket has none", async () => {
    await service.storage.createBucket("nolimit", { public: false });
    const limit = tp.platform.context.config.storage.fileSizeLimit;
    tp.platform.context.config.storage.fileSizeLimit = 10;
    try {
      const { error } = await service.storage.from("nolimit").upload("a.txt", "01234567890", { contentType: "text/plain" });
      assert.equal(code(error), "413");
    } finally {
      tp.platform.context.config.storage.fileSizeLimit = limit;
    }
  });

  test("failed uploads leave neither a row nor a file", async () => {
    await service.storage.createBucket("clean", { public: false, fileSizeLimit: 100_000 });
    const before = storedFiles(tp).length;
    await service.storage.from("clean").upload("huge.bin", new Blob([new Uint8Array(300_000)], { type: "application/octet-stream" }));
    await service.storage.from("clean").upload("bad[1].bin", new Uint8Array(10));
    await abortedUpload(`${storageUrl(tp)}/object/clean/aborted.bin`);
    // The aborted request is handled asynchronously; a later request on the same service queues behind it.
    await waitFor(async () => storedFiles(tp).length === before);
    assert.deepEqual(await objectNames(tp, "clean"), []);
    assert.equal(storedFiles(tp).length, before);
  });
});

/** Sends half of a declared body, then drops the connection. */
function abortedUpload(url: string): Promise<void> {
  return new Promise((resolve) => {
    const req = request(url, { method: "POST", headers: { Authorization: `Bearer ${SERVICE_ROLE_KEY}`, "Content-Type": "application/octet-stream", "Content-Length": "50000" } });
    req.on("error", () => resolve());
    req.write(Buffer.alloc(25_000), () => setImmediate(() => (req.destroy(), resolve())));
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
