import { createWriteStream, type WriteStream } from "node:fs";
import { crc32, deflateRawSync } from "node:zlib";

/**
 * A minimal streaming zip writer for benchmark fixtures: each entry is compressed in memory (a few MB
 * at most), written with its sizes in the local header (no data descriptor), and the central directory
 * follows at the end. Fixtures stay below 4 GiB, so zip64 is needed only for the end records of an
 * archive with more than 65,535 entries.
 */
export class ZipStreamWriter {
  private readonly out: WriteStream;
  private readonly central: Buffer[] = [];
  private offset = 0;
  private count = 0;

  constructor(path: string) {
    this.out = createWriteStream(path);
  }

  async add(name: string, data: Buffer, deflate: boolean): Promise<void> {
    const body = deflate ? deflateRawSync(data, { level: 6 }) : data;
    const method = deflate ? 8 : 0;
    const crc = crc32(data);
    const nameBytes = Buffer.from(name, "utf8");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeCommon(local, 4, method, crc, body.length, data.length, nameBytes.length);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(0x0314, 4); // made by: Unix, spec 2.0
    writeCommon(entry, 6, method, crc, body.length, data.length, nameBytes.length);
    entry.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: regular file, rw-r--r--
    entry.writeUInt32LE(this.offset, 42);
    this.central.push(entry, nameBytes);
    this.count += 1;
    await this.write(local);
    await this.write(nameBytes);
    await this.write(body);
  }

  async close(): Promise<void> {
    const start = this.offset;
    for (const part of this.central) await this.write(part);
    const directoryBytes = this.offset - start;
    const manyEntries = this.count > 0xffff;
    if (manyEntries) await this.writeZip64End(start);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(manyEntries ? 0xffff : this.count, 8);
    end.writeUInt16LE(manyEntries ? 0xffff : this.count, 10);
    end.writeUInt32LE(directoryBytes, 12);
    end.writeUInt32LE(start, 16);
    await this.write(end);
    await new Promise<void>((done, fail) => this.out.end((error?: Error | null) => (error ? fail(error) : done())));
  }

  /** The zip64 end of central directory record and its locator, which carry the full entry count. */
  private async writeZip64End(directoryStart: number): Promise<void> {
    const recordAt = this.offset;
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4); // size of the rest of the record
    record.writeUInt16LE(45, 12); // version made by
    record.writeUInt16LE(45, 14); // version needed: zip64
    record.writeBigUInt64LE(BigInt(this.count), 24);
    record.writeBigUInt64LE(BigInt(this.count), 32);
    record.writeBigUInt64LE(BigInt(recordAt - directoryStart), 40);
    record.writeBigUInt64LE(BigInt(directoryStart), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(recordAt), 8);
    locator.writeUInt32LE(1, 16); // total number of disks
    await this.write(record);
    await this.write(locator);
  }

  private write(chunk: Buffer): Promise<void> {
    this.offset += chunk.length;
    if (this.out.write(chunk)) return Promise.resolve();
    return new Promise((done) => this.out.once("drain", done));
  }
}

// Fields shared by the local header (at 4) and the central entry (at 6): version needed, flags (UTF-8
// names), method, DOS time/date (a fixed 2024-06-01 12:00), CRC, sizes, name length.
function writeCommon(buf: Buffer, at: number, method: number, crc: number, compressed: number, size: number, nameLength: number): void {
  buf.writeUInt16LE(20, at);
  buf.writeUInt16LE(0x0800, at + 2);
  buf.writeUInt16LE(method, at + 4);
  buf.writeUInt16LE(12 << 11, at + 6);
  buf.writeUInt16LE(((2024 - 1980) << 9) | (6 << 5) | 1, at + 8);
  buf.writeUInt32LE(crc >>> 0, at + 10);
  buf.writeUInt32LE(compressed, at + 14);
  buf.writeUInt32LE(size, at + 18);
  buf.writeUInt16LE(nameLength, at + 22);
}
