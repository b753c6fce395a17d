import { test } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { BodySource } from "../src/storage/body-source.ts";
import { readMultipartHead } from "../src/storage/multipart-form.ts";

/** The form exactly as storage-js builds it for a Blob upload (docs/supabase-behaviour.md#uploads), encoded by undici. */
async function storageJsForm(file: Uint8Array<ArrayBuffer>, fields: [string, string][] = [["cacheControl", "3600"], ["metadata", JSON.stringify({ album: "a" })]]) {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  form.append("", new Blob([file], { type: "image/jpeg" }));
  const response = new Response(form);
  return { body: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get("content-type")! };
}

function chunked(body: Buffer, size: number): BodySource {
  const pieces: Buffer[] = [];
  for (let i = 0; i < body.length; i += size) pieces.push(body.subarray(i, i + size));
  return new BodySource(Readable.from(pieces) as unknown as IncomingMessage);
}

const LIMITS = { fields: 10, fieldSize: 100 };

test("the form reader finds fields and file bytes whatever the chunking", async () => {
  // File bytes that contain CRLFs and dashes, so a split delimiter look-alike must not end the part.
  const file = Buffer.from(Array.from({ length: 3000 }, (_, i) => "\r\n--x-"[i % 6].charCodeAt(0) ^ (i % 7 === 0 ? 1 : 0)));
  const { body, contentType } = await storageJsForm(file);
  for (const size of [1, 2, 3, 5, 7, 13, 64, 1000, body.length]) {
    const head = await readMultipartHead(chunked(body, size), contentType, LIMITS);
    assert.deepEqual(head.fields, { cacheControl: "3600", metadata: '{"album":"a"}' });
    assert.deepEqual(head.oversizedFields, []);
    assert.equal(head.file?.fieldName, "");
    assert.equal(head.file?.filename, "blob");
    assert.equal(head.file?.mimeType, "image/jpeg");
    const received: Buffer[] = [];
    for await (const chunk of head.file!.chunks) received.push(Buffer.from(chunk));
    assert.equal(Buffer.compare(Buffer.concat(received), file), 0, `chunk size ${size}`);
  }
});

test("a truncated form is an error, not a short file", async () => {
  const { body, contentType } = await storageJsForm(new Uint8Array(500));
  const head = await readMultipartHead(chunked(body.subarray(0, body.length - 60), 50), contentType, LIMITS);
  await assert.rejects(async () => {
    for await (const _ of head.file!.chunks) void _;
  }, /Unexpected end of form/);
});

test("oversized fields are named, too many fields or no boundary are errors, and a form without a file has none", async () => {
  const long = await storageJsForm(new Uint8Array(10), [["metadata", "x".repeat(101)]]);
  const head = await readMultipartHead(chunked(long.body, 64), long.contentType, LIMITS);
  assert.deepEqual(head.oversizedFields, ["metadata"]);

  const many = await storageJsForm(new Uint8Array(10), Array.from({ length: 11 }, (_, i): [string, string] => [`f${i}`, "v"]));
  await assert.rejects(readMultipartHead(chunked(many.body, 64), many.contentType, LIMITS), /fields limit/);

  await assert.rejects(readMultipartHead(chunked(long.body, 64), "multipart/form-data", LIMITS), /Boundary not found/);

  const form = new FormData();
  form.append("cacheControl", "60");
  const response = new Response(form);
  const noFile = await readMultipartHead(chunked(Buffer.from(await response.arrayBuffer()), 16), response.headers.get("content-type")!, LIMITS);
  assert.equal(noFile.file, null);
  assert.deepEqual(noFile.fields, { cacheControl: "60" });
});
