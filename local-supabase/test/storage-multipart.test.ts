import { test } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { BodySource } from "../src/storage/body-source.ts";
import { boundaryOf, MultipartReader } from "../src/storage/multipart.ts";

/** The form exactly as storage-js builds it for a Blob upload (docs/supabase-behaviour.md#uploads), encoded by undici. */
async function storageJsForm(file: Uint8Array<ArrayBuffer>): Promise<{ body: Buffer; contentType: string }> {
  const form = new FormData();
  form.append("cacheControl", "3600");
  form.append("metadata", JSON.stringify({ album: "a" }));
  form.append("", new Blob([file], { type: "image/jpeg" }));
  const response = new Response(form);
  return { body: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get("content-type")! };
}

function chunked(body: Buffer, size: number): BodySource {
  const pieces: Buffer[] = [];
  for (let i = 0; i < body.length; i += size) pieces.push(body.subarray(i, i + size));
  return new BodySource(Readable.from(pieces) as unknown as IncomingMessage);
}

test("the multipart reader finds fields and file bytes whatever the chunking", async () => {
  // File bytes that contain CRLFs and dashes, so a split delimiter look-alike must not end the part.
  const file = Buffer.from(Array.from({ length: 3000 }, (_, i) => "\r\n--x-"[i % 6].charCodeAt(0) ^ (i % 7 === 0 ? 1 : 0)));
  const { body, contentType } = await storageJsForm(file);
  for (const size of [1, 2, 3, 5, 7, 13, 64, 1000, body.length]) {
    const reader = new MultipartReader(chunked(body, size), boundaryOf(contentType)!);
    const cache = await reader.nextPart();
    assert.deepEqual(cache, { name: "cacheControl", filename: undefined });
    assert.equal(await reader.text(100), "3600");
    assert.equal((await reader.nextPart())?.name, "metadata");
    assert.equal(await reader.text(100), '{"album":"a"}');
    const part = await reader.nextPart();
    assert.deepEqual(part, { name: "", filename: "blob", contentType: "image/jpeg" });
    const received: Buffer[] = [];
    for await (const chunk of reader.body()) received.push(Buffer.from(chunk));
    assert.equal(Buffer.compare(Buffer.concat(received), file), 0, `chunk size ${size}`);
    assert.equal(await reader.nextPart(), null);
  }
});

test("a truncated form is an error, not a short file", async () => {
  const { body, contentType } = await storageJsForm(new Uint8Array(500));
  const reader = new MultipartReader(chunked(body.subarray(0, body.length - 60), 50), boundaryOf(contentType)!);
  await reader.nextPart();
  await reader.nextPart();
  await reader.nextPart();
  await assert.rejects(async () => {
    for await (const _ of reader.body()) void _;
  }, /Unexpected end of form/);
});
