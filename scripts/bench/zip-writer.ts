import { createWriteStream, type WriteStream } from "node:fs";
import { crc32, deflateRawSync } from "node:zlib";
import { ZipWriter } from "../../test/support/zip-writer.ts";

/**
 * Benchmark fixtures streamed to a file through the shared zip writer (test/support/zip-writer.ts):
 * each entry is compressed in memory (a few MB at most) and written with its sizes in the local header;
 * the central directory follows at the end. The CRC comes from node:zlib, which is many times faster
 * than the writer's JavaScript table on gigabytes of fixtures.
 */
export class ZipStreamWriter {
  private readonly out: WriteStream;
  private readonly zip: ZipWriter;

  /** `zip64`: every entry and the end records in zip64 form (archives past 4 GiB need it). */
  constructor(path: string, private readonly zip64 = false) {
    this.out = createWriteStream(path);
    this.zip = new ZipWriter({ zip64 });
  }

  async add(name: string, data: Buffer, deflate: boolean): Promise<void> {
    const payload = deflate ? deflateRawSync(data, { level: 6 }) : data;
    const parts = this.zip.add({ name, data, method: deflate ? "deflate" : "store", crc32: crc32(data) >>> 0, zip64: this.zip64 }, payload);
    for (const part of parts) await this.write(part);
  }

  async close(): Promise<void> {
    for (const part of this.zip.finish()) await this.write(part);
    await new Promise<void>((done, fail) => this.out.end((error?: Error | null) => (error ? fail(error) : done())));
  }

  private write(chunk: Uint8Array): Promise<void> {
    if (this.out.write(chunk)) return Promise.resolve();
    return new Promise((done) => this.out.once("drain", done));
  }
}
