import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import { after, describe, test } from "node:test";
import { configure, Uint8ArrayReader, Uint8ArrayWriter, ZipReader } from "@zip.js/zip.js";
import { ZipStreamWriter } from "../../scripts/bench/zip-writer.ts";
import { buildZip } from "../integration/support/zip-builder.ts";
import { writeZip } from "./zip-writer.ts";

configure({ useWebWorkers: false });

/** What an independent reader (zip.js) makes of an archive: names, sizes, contents. */
async function read(zip: Uint8Array) {
  const reader = new ZipReader(new Uint8ArrayReader(zip));
  const entries = [];
  for (const entry of await reader.getEntries()) {
    const data = entry.directory ? undefined : await entry.getData!(new Uint8ArrayWriter(), { checkSignature: true });
    entries.push({ name: entry.filename, directory: entry.directory, size: entry.uncompressedSize, data });
  }
  await reader.close();
  return entries;
}

const photo = new Uint8Array(5000).map((_, i) => (i * 7) & 0xff);

describe("the shared zip writer", () => {
  test("writes archives another reader extracts: stored, deflated, folders, descriptors, zip64", async () => {
    const zip = buildZip(
      [
        { name: "album/", data: new Uint8Array() },
        { name: "album/a.jpg", data: photo },
        { name: "album/b.jpg", data: photo, method: "deflate", dataDescriptor: true },
        { name: "album/c.jpg", data: photo, zip64: true },
      ],
      { zip64End: true, comment: "holiday" },
    );
    const entries = await read(zip);
    assert.deepEqual(entries.map((e) => [e.name, e.directory, e.size]), [
      ["album/", true, 0],
      ["album/a.jpg", false, 5000],
      ["album/b.jpg", false, 5000],
      ["album/c.jpg", false, 5000],
    ]);
    for (const entry of entries.slice(1)) assert.deepEqual(entry.data, photo);
  });

  test("writes archives past 65,535 entries, with zip64 end records", async () => {
    const entries = Array.from({ length: 70_000 }, (_, i) => ({ name: `scan ${i}.jpg`, data: photo.subarray(0, 40) }));
    const read = await new ZipReader(new Uint8ArrayReader(buildZip(entries))).getEntries();
    assert.equal(read.length, 70_000);
    assert.equal(read[69_999].filename, "scan 69999.jpg");
  });

  test("dates entries as told: DOS fields in UTC, and an extended timestamp another reader prefers", async () => {
    const zip = buildZip([
      { name: "dos.jpg", data: photo, modified: new Date("2023-05-17T08:30:42Z") },
      { name: "both.jpg", data: photo, modified: new Date("2023-05-17T08:30:42Z"), extendedTimestamp: new Date("2022-01-02T03:04:05Z") },
      { name: "zip64.jpg", data: photo, zip64: true, extendedTimestamp: new Date("2021-07-08T09:10:11Z") },
    ]);
    const reader = new ZipReader(new Uint8ArrayReader(zip));
    const entries = await reader.getEntries();
    await reader.close();
    const raw = entries[0].rawLastModDate as number;
    assert.deepEqual([raw >>> 16, raw & 0xffff], [((2023 - 1980) << 9) | (5 << 5) | 17, (8 << 11) | (30 << 5) | 21]);
    assert.equal(entries[1].lastModDate.toISOString(), "2022-01-02T03:04:05.000Z");
    assert.equal(entries[2].lastModDate.toISOString(), "2021-07-08T09:10:11.000Z");
    assert.equal(entries[2].uncompressedSize, photo.length, "the zip64 field still comes first");
    assert.deepEqual((await read(zip)).map((e) => e.data), [photo, photo, photo]);
  });

  test("writes the lies it is told: a wrong CRC is caught by the reader", async () => {
    const zip = buildZip([{ name: "bad.jpg", data: photo, crc32: 1234 }]);
    await assert.rejects(read(zip), /signature|crc/i);
  });

  test("is the same bytes whichever runtime wrapper deflates, and when streamed to a file", async () => {
    const specs = [{ name: "a.jpg", data: photo }, { name: "b.jpg", data: photo, method: "deflate" as const }];
    const inMemory = writeZip(specs, [photo, deflateRawSync(photo, { level: 6 })]);
    const dir = mkdtempSync(join(tmpdir(), "zip-writer-"));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const streamed = new ZipStreamWriter(join(dir, "a.zip"));
    await streamed.add("a.jpg", Buffer.from(photo), false);
    await streamed.add("b.jpg", Buffer.from(photo), true);
    await streamed.close();
    assert.deepEqual(new Uint8Array(readFileSync(join(dir, "a.zip"))), inMemory);
  });
});

describe("entries whose bytes the caller writes", () => {
  test("leave room for their stored bytes after the header, as a sparse file does", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zip-writer-"));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const { writeOversizedZip } = await import("../../e2e/fixtures/oversized-zip.ts");
    const path = join(dir, "big.zip");
    const size = await writeOversizedZip(path, 100 * 1024 * 1024);
    const entries = await read(new Uint8Array(readFileSync(path)));
    assert.equal(entries.length, 3);
    assert.equal(size, readFileSync(path).length);
    for (const entry of entries) assert.deepEqual(entry.data, new Uint8Array(40 * 1024 * 1024));
  });
});
