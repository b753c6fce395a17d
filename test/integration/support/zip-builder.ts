// Test archives for the Node tests: the shared zip writer (test/support/zip-writer.ts, which writes
// exactly what each entry spec says — a wrong CRC, a lying encrypted flag, two directory records sharing
// one entry's data) with node:zlib for deflate. Ordinary archivers refuse to write such archives.
import { deflateRawSync } from "node:zlib";
import { entryPayload, writeZip, type ZipEntrySpec, type ZipOptions } from "../../support/zip-writer.ts";

export type { ZipEntrySpec, ZipOptions };

export function buildZip(entries: ZipEntrySpec[], options: ZipOptions = {}): Buffer {
  const bytes = writeZip(entries, entries.map((spec) => entryPayload(spec, (data) => deflateRawSync(data))), options);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}
