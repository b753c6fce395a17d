import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import type { SupabaseClient } from "@supabase/supabase-js";
import { startTestPlatform, SERVICE_ROLE_KEY, type TestPlatform } from "./support/platform.ts";
import { objectNames, storageUrl, storedFiles } from "./storage-support.ts";

const code = (error: unknown) => (error as { statusCode?: string } | null)?.statusCode;

describe("storage upload limits and failed uploads (docs/supabase-behaviour.md#storage-errors, #uploads)", () => {
  let tp: TestPlatform;
  let service: SupabaseClient;
  before(async () => {
    tp = await startTestPlatform();
    service = tp.service();
    await service.storage.createBucket("small", { public: false, fileSizeLimit: 1000, allowedMimeTypes: ["image/*", "text/plain"] });
  });
  after(() => tp.close());

  test("too large: declared Content-Length, and multipart cut off while streaming", async () => {
    const raw = await service.storage.from("small").upload("big.txt", "x".repeat(1001), { contentType: "text/plain" });
    assert.equal(code(raw.error), "413");
    assert.equal(raw.error?.message, "The object exceeded the maximum allowed size");
    const multipart = await service.storage.from("small").upload("big.png", new Blob([new Uint8Array(50_000)], { type: "image/png" }));
    assert.equal(code(multipart.error), "413");
    assert.equal((await service.storage.from("small").upload("fits.png", new Blob([new Uint8Array(1000)], { type: "image/png" }))).error, null);
    assert.deepEqual(await objectNames(tp, "small"), ["fits.png"]);
  });

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

  test("mime types: wildcard, exact, and the raw string with parameters", async () => {
    const bucket = service.storage.from("small");
    assert.equal((await bucket.upload("ok.jpg", new Uint8Array(3), { contentType: "image/jpeg" })).error, null);
    assert.equal((await bucket.upload("ok.txt", "t", { contentType: "text/plain" })).error, null);
    const pdf = await bucket.upload("no.pdf", new Uint8Array(3), { contentType: "application/pdf" });
    assert.equal(code(pdf.error), "415");
    assert.equal(pdf.error?.message, "mime type application/pdf is not supported");
    // storage-js' default raw content type carries a charset, which an allow-list of text/plain does not match.
    const defaulted = await bucket.upload("charset.txt", "t");
    assert.equal(defaulted.error?.message, "mime type text/plain;charset=UTF-8 is not supported");
  });

  test("multipart without a file part is 'No content provided'", async () => {
    const form = new FormData();
    form.append("cacheControl", "10");
    const response = await fetch(`${storageUrl(tp)}/object/small/empty.txt`, { method: "POST", headers: { Authorization: `Bearer ${SERVICE_ROLE_KEY}` }, body: form });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { statusCode: "400", error: "InvalidRequest", message: "No content provided", code: "InvalidRequest" });
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
