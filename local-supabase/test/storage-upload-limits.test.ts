// @contract black-box
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { SupabaseClient } from "@supabase/supabase-js";
import { startTestPlatform, SERVICE_ROLE_KEY, type ContractPlatform } from "./support/platform.ts";
import { scratchBucket, storageUrl } from "./storage-support.ts";

const code = (error: unknown) => (error as { statusCode?: string } | null)?.statusCode;

describe("storage upload limits a client sees (docs/supabase-behaviour.md#storage-errors, #uploads)", () => {
  let tp: ContractPlatform;
  let service: SupabaseClient;
  let small: string;
  const bucket = () => service.storage.from(small);
  before(async () => {
    tp = await startTestPlatform();
    service = tp.service();
    small = await scratchBucket(tp, "small", { public: false, fileSizeLimit: 1000, allowedMimeTypes: ["image/*", "text/plain"] });
  });
  after(() => tp.close());

  test("too large: declared Content-Length, and multipart cut off while streaming", async () => {
    const raw = await bucket().upload("big.txt", "x".repeat(1001), { contentType: "text/plain" });
    assert.equal(code(raw.error), "413");
    assert.equal(raw.error?.message, "The object exceeded the maximum allowed size");
    const multipart = await bucket().upload("big.png", new Blob([new Uint8Array(50_000)], { type: "image/png" }));
    assert.equal(code(multipart.error), "413");
    assert.equal((await bucket().upload("fits.png", new Blob([new Uint8Array(1000)], { type: "image/png" }))).error, null);
    assert.deepEqual((await bucket().listV2({ prefix: "big" })).data?.objects, []);
    assert.deepEqual((await bucket().listV2({ prefix: "fits" })).data?.objects.map((o) => o.name), ["fits.png"]);
  });

  test("mime types: wildcard, exact, and the raw string with parameters", async () => {
    assert.equal((await bucket().upload("ok.jpg", new Uint8Array(3), { contentType: "image/jpeg" })).error, null);
    assert.equal((await bucket().upload("ok.txt", "t", { contentType: "text/plain" })).error, null);
    const pdf = await bucket().upload("no.pdf", new Uint8Array(3), { contentType: "application/pdf" });
    assert.equal(code(pdf.error), "415");
    assert.equal(pdf.error?.message, "mime type application/pdf is not supported");
    // storage-js' default raw content type carries a charset, which an allow-list of text/plain does not match.
    const defaulted = await bucket().upload("charset.txt", "t");
    assert.equal(defaulted.error?.message, "mime type text/plain;charset=UTF-8 is not supported");
  });

  test("multipart without a file part is 'No content provided'", async () => {
    const form = new FormData();
    form.append("cacheControl", "10");
    const response = await fetch(`${storageUrl(tp)}/object/${small}/empty.txt`, { method: "POST", headers: { Authorization: `Bearer ${SERVICE_ROLE_KEY}` }, body: form });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { statusCode: "400", error: "InvalidRequest", message: "No content provided", code: "InvalidRequest" });
  });
});
