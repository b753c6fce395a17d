import { assert, assertEquals, assertRejects } from "./support/assert.ts";
import { type Entry, ZipReader } from "@zip.js/zip.js";
import { ZipFileReader } from "../_shared/zip-file-reader.ts";
import {
  BAD_DEFLATE, CRC_MISMATCH, EntryDamaged, openEntryBytes, OUT_OF_BOUNDS, readsDirectly, SIZE_MISMATCH, SLICE_BYTES,
} from "../album-upload/entry-bytes.ts";
import { buildZip, fakeJpeg, type ZipEntrySpec } from "./support/zip-builder.ts";

/** Opens a zip built from `specs`, hands its file reader and entries to `body`, cleans up. */
async function withZip(specs: ZipEntrySpec[], body: (file: ZipFileReader, entries: Entry[]) => Promise<void>) {
  const path = await Deno.makeTempFile({ suffix: ".zip" });
  await Deno.writeFile(path, await buildZip(specs));
  const file = new ZipFileReader(path);
  try {
    await file.init();
    const entries = await new ZipReader(file, { useWebWorkers: false }).getEntries();
    await body(file, entries);
  } finally {
    file.close();
    await Deno.remove(path);
  }
}

/** Reads a stream to the end, keeping what arrived before an error. */
async function drain(stream: ReadableStream<Uint8Array>): Promise<{ bytes: Uint8Array; error: unknown }> {
  const chunks: Uint8Array[] = [];
  let error: unknown = null;
  try {
    for await (const chunk of stream) chunks.push(chunk);
  } catch (e) {
    error = e;
  }
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  chunks.reduce((at, c) => (bytes.set(c, at), at + c.length), 0);
  return { bytes, error };
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

Deno.test("stored and deflated entries are read byte for byte, across slices, from their recorded range", () => {
  const big = fakeJpeg(SLICE_BYTES * 2 + 12_345, 3), small = fakeJpeg(4000, 4), empty = new Uint8Array(0);
  const specs: ZipEntrySpec[] = [
    { name: "big.jpg", data: big }, { name: "small.jpg", data: small },
    { name: "big-deflated.jpg", data: big, method: "deflate" }, { name: "small-deflated.jpg", data: small, method: "deflate" },
    { name: "empty.txt", data: empty }, { name: "empty-deflated.txt", data: empty, method: "deflate" },
  ];
  return withZip(specs, async (file, entries) => {
    for (const [i, entry] of entries.entries()) {
      assert(readsDirectly(entry));
      const stream = await openEntryBytes(file, entry);
      assert(stream !== null);
      const { bytes, error } = await drain(stream);
      assertEquals(error, null, `${entry.filename}`);
      assert(sameBytes(bytes, specs[i].data!), `${entry.filename}: bytes differ`);
    }
  });
});

Deno.test("a corrupt entry errors before its last chunk is handed over", () => {
  const data = fakeJpeg(SLICE_BYTES + 500, 5);
  return withZip([
    { name: "bad.jpg", data, crc32: 0x12345678 },
    { name: "bad-deflated.jpg", data, method: "deflate", crc32: 0x12345678 },
    // Small enough to be inflated in one call: its single chunk is held back too.
    { name: "bad-small-deflated.jpg", data: data.subarray(0, 4000), method: "deflate", crc32: 0x12345678 },
  ], async (file, entries) => {
    for (const entry of entries) {
      const { bytes, error } = await drain((await openEntryBytes(file, entry))!);
      assert(error instanceof EntryDamaged, `${entry.filename}: ${error}`);
      assertEquals((error as Error).message, CRC_MISMATCH);
      // The consumer (the upload) never receives the whole photo, so Storage never completes it.
      assert(bytes.length < entry.uncompressedSize, `${entry.filename}: ${bytes.length} bytes handed over`);
    }
  });
});

Deno.test("size lies, data past the end and unreadable deflate data are damage", () =>
  withZip([
    { name: "lie.jpg", data: fakeJpeg(3000, 6), uncompressedSize: 9000 },
    { name: "short.jpg", data: fakeJpeg(30_000, 7), method: "deflate", uncompressedSize: 1000 },
    { name: "long.jpg", data: fakeJpeg(3000, 8), method: "deflate", uncompressedSize: 9000 },
  ], async (file, [lie, short, long]) => {
    await assertRejects(() => openEntryBytes(file, lie), (e) => assertEquals(e.message, SIZE_MISMATCH));
    for (const entry of [short, long]) {
      const { error } = await drain((await openEntryBytes(file, entry))!);
      assertEquals((error as Error).message, SIZE_MISMATCH, entry.filename);
    }
    const pastTheEnd = { ...lie, compressedSize: file.size, uncompressedSize: file.size };
    await assertRejects(() => openEntryBytes(file, pastTheEnd), (e) => assertEquals(e.message, OUT_OF_BOUNDS));
    // Stored bytes of a photo are no deflate stream.
    const garbage = { ...lie, compressionMethod: 8, uncompressedSize: 3000 };
    const { error } = await drain((await openEntryBytes(file, garbage))!);
    assertEquals((error as Error).message, BAD_DEFLATE);
  }));

Deno.test("entries zip.js must read are left to it", () =>
  withZip([{ name: "a.jpg", data: fakeJpeg(3000, 9) }], async (file, [entry]) => {
    assertEquals(await openEntryBytes(file, { ...entry, offset: entry.offset + 1 }), null, "local header elsewhere");
    assert(!readsDirectly({ ...entry, compressionMethod: 9 }), "deflate64");
    assert(!readsDirectly({ ...entry, encrypted: true }));
  }));
