import { assert, assertEquals, assertRejects } from "./support/assert.ts";
import { type Entry, ZipReader } from "@zip.js/zip.js";
import { ZipFileReader } from "../_shared/zip-file-reader.ts";
import {
  CRC_MISMATCH, EntryDamaged, isPlainStored, locateStoredData, OUT_OF_BOUNDS, SIZE_MISMATCH, SLICE_BYTES,
  storedEntryStream,
} from "../album-upload/stored-entry.ts";
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

Deno.test("a stored entry is read byte for byte, in slices, from its recorded range", () => {
  const big = fakeJpeg(SLICE_BYTES * 2 + 12_345, 3), small = fakeJpeg(4000, 4);
  return withZip([{ name: "big.jpg", data: big }, { name: "small.jpg", data: small }], async (file, entries) => {
    for (const [entry, data] of [[entries[0], big], [entries[1], small]] as const) {
      assert(isPlainStored(entry));
      const start = await locateStoredData(file, entry);
      assert(start !== null);
      const { bytes, error } = await drain(storedEntryStream(file, start, entry));
      assertEquals(error, null);
      assertEquals(bytes.length, data.length);
      assert(bytes.every((b, i) => b === data[i]), "bytes differ");
    }
  });
});

Deno.test("a corrupt stored entry errors before its last slice is handed over", () => {
  const data = fakeJpeg(SLICE_BYTES + 500, 5);
  return withZip([{ name: "bad.jpg", data, crc32: 0x12345678 }], async (file, [entry]) => {
    const start = await locateStoredData(file, entry);
    const { bytes, error } = await drain(storedEntryStream(file, start!, entry));
    assert(error instanceof EntryDamaged);
    assertEquals((error as Error).message, CRC_MISMATCH);
    // A consumer (the upload) never receives the whole object, so Storage never completes it.
    assertEquals(bytes.length, SLICE_BYTES);
  });
});

Deno.test("stored entries whose sizes disagree, or that run past the file, are damaged", () =>
  withZip([{ name: "lie.jpg", data: fakeJpeg(3000, 6), uncompressedSize: 9000 }], async (file, [entry]) => {
    await assertRejects(() => locateStoredData(file, entry), (e) => assertEquals(e.message, SIZE_MISMATCH));
    const pastTheEnd = { ...entry, compressedSize: file.size, uncompressedSize: file.size };
    await assertRejects(() => locateStoredData(file, pastTheEnd), (e) => assertEquals(e.message, OUT_OF_BOUNDS));
  }));

Deno.test("an entry whose local header is elsewhere is left to zip.js", () =>
  withZip([{ name: "a.jpg", data: fakeJpeg(3000, 7) }], async (file, [entry]) => {
    assertEquals(await locateStoredData(file, { ...entry, offset: entry.offset + 1 }), null);
    assert(!isPlainStored({ ...entry, compressionMethod: 8 }));
    assert(!isPlainStored({ ...entry, encrypted: true }));
  }));
