// The one zip writer behind every test and benchmark archive. It writes exactly what it is told —
// including lies (CRC, sizes, the encrypted flag), data descriptors, zip64 records, split-archive disk
// numbers and directory records that share another entry's data — so hostile archives can be built in
// code, byte by byte. It imports nothing runtime-specific: compressing is the caller's job (Deno tests
// use CompressionStream, Node tests and the benchmark node:zlib), which is what the thin per-runtime
// `buildZip` wrappers and the benchmark's file writer add.
import { crc32Table } from "../../supabase/functions/_shared/crc32.ts";

export interface ZipEntrySpec {
  /** A string is written as UTF-8 with the language-encoding flag (bit 11); bytes are written as given. */
  name: string | Uint8Array;
  data?: Uint8Array;
  method?: "store" | "deflate";
  /** Written instead of the real CRC-32 (a corrupt entry), or a CRC the caller computed natively. */
  crc32?: number;
  /** Written instead of the real uncompressed size (an archive that lies about what it holds). */
  uncompressedSize?: number;
  /** The same as `uncompressedSize`, under the name the Node tests use. */
  declaredSize?: number;
  /** Sets the "encrypted" flag; the data is written as given. */
  encrypted?: boolean;
  /** Sizes and CRC follow the data in a descriptor (streaming archivers, bit 3). */
  dataDescriptor?: boolean;
  /** Sizes live in a zip64 extra field; the 32-bit fields say 0xffffffff. */
  zip64?: boolean;
  /** Raw external attributes, e.g. a Unix symlink: (0o120777 << 16) >>> 0. Wins over `unixMode`. */
  externalAttributes?: number;
  /** Unix mode for the external attributes (default: a regular file, or a folder for names ending in /). */
  unixMode?: number;
  /** Upper byte of "version made by": 3 = Unix (the default, needed for Unix attributes). */
  madeBy?: number;
  /** This directory record points at the local data of entry number `sameDataAs` (overlapping entries). */
  sameDataAs?: number;
  /**
   * Modification time in the DOS date and time fields (which have no zone: its UTC fields are written, in
   * two-second steps). Default: 2024-06-01 12:00.
   */
  modified?: Date;
  /** Modification time also in an extended timestamp extra field (0x5455, Unix seconds), local and central. */
  extendedTimestamp?: Date;
}

export interface ZipOptions {
  /** Write the zip64 end of central directory record and locator (also done past 65,535 entries). */
  zip64?: boolean;
  /** The same as `zip64`, under the name the Node tests use. */
  zip64End?: boolean;
  /** Disk numbers in the end records (split archives use > 0). */
  diskNumber?: number;
  /** Bytes written before the first local header (e.g. the spanning marker PK\x07\x08). */
  prefix?: Uint8Array;
  comment?: string;
}

const utf8 = new TextEncoder();
const EMPTY = new Uint8Array(0);
/** Every entry is dated 2024-06-01 12:00 (DOS time and date), so archives are reproducible. */
const DOS_TIME = 12 << 11;
const DOS_DATE = ((2024 - 1980) << 9) | (6 << 5) | 1;

/** `at`'s UTC date and time as DOS fields (years 1980–2107). */
function dosDateTime(at: Date): { time: number; date: number } {
  const year = at.getUTCFullYear();
  if (year < 1980 || year > 2107) throw new Error(`a DOS date holds years 1980–2107, not ${year}`);
  return {
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | (at.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
  };
}

/** Extra field 0x5455 with only the modification time (flag bit 0), as Info-ZIP writes it. */
function extendedTimestampField(at: Date): Uint8Array {
  return record(9, (v) => {
    v.setUint16(0, 0x5455, true);
    v.setUint16(2, 5, true);
    v.setUint8(4, 1);
    v.setInt32(5, Math.floor(at.getTime() / 1000), true);
  });
}

interface Placed {
  name: Uint8Array;
  flags: number;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
  zip64: boolean;
  madeBy: number;
  externalAttributes: number;
  dosTime: number;
  dosDate: number;
  /** Extra fields after the zip64 one (the extended timestamp). */
  extra: Uint8Array;
}

function record(size: number, fill: (view: DataView) => void): Uint8Array {
  const bytes = new Uint8Array(size);
  fill(new DataView(bytes.buffer));
  return bytes;
}

/**
 * Lays an archive out one entry at a time: `add` returns the bytes of one entry as it goes, `finish`
 * the central directory and end records, so a large archive can be streamed to a file.
 */
export class ZipWriter {
  private readonly placed: Placed[] = [];
  /** Bytes handed out so far: the offset of the next local header. */
  length = 0;

  constructor(private readonly options: ZipOptions = {}) {}

  /** Bytes that come before the first entry (`options.prefix`); call once, before `add`. */
  start(): Uint8Array[] {
    return this.options.prefix ? this.emit([this.options.prefix]) : [];
  }

  /**
   * One entry: its local header, `payload` (the entry's bytes as stored — already compressed for
   * `method: "deflate"`) and its data descriptor if asked for. A number instead of bytes is how many
   * stored bytes the caller puts right after the returned header itself (or leaves as a hole in a sparse
   * file); give such an entry its `crc32` and `uncompressedSize`.
   */
  add(spec: ZipEntrySpec, payload: Uint8Array | number): Uint8Array[] {
    const name = typeof spec.name === "string" ? utf8.encode(spec.name) : spec.name;
    if (spec.sameDataAs !== undefined) {
      this.placed.push({ ...this.placed[spec.sameDataAs], name });
      return [];
    }
    const data = spec.data ?? EMPTY;
    const stored = typeof payload === "number" ? payload : payload.length;
    if (typeof payload === "number" && spec.dataDescriptor) throw new Error("an entry written by the caller cannot have a data descriptor");
    const method = spec.method === "deflate" ? 8 : 0;
    const crc = spec.crc32 ?? crc32Table(data, 0);
    const size = spec.uncompressedSize ?? spec.declaredSize ?? data.length;
    const flags = (spec.encrypted ? 1 : 0) | (spec.dataDescriptor ? 8 : 0) | (typeof spec.name === "string" ? 0x800 : 0);
    const zip64 = Boolean(spec.zip64);
    const described = Boolean(spec.dataDescriptor);
    const folder = typeof spec.name === "string" && spec.name.endsWith("/");
    const mode = spec.unixMode ?? (folder ? 0o040755 : 0o100644);
    const { time: dosTime, date: dosDate } = spec.modified ? dosDateTime(spec.modified) : { time: DOS_TIME, date: DOS_DATE };
    const extra = spec.extendedTimestamp ? extendedTimestampField(spec.extendedTimestamp) : EMPTY;
    this.placed.push({
      name, flags, method, crc, compressed: stored, size, offset: this.length, zip64,
      madeBy: spec.madeBy ?? 3,
      externalAttributes: spec.externalAttributes ?? (mode * 0x10000) >>> 0,
      dosTime, dosDate, extra,
    });
    const parts = [
      record(30, (v) => {
        v.setUint32(0, 0x04034b50, true);
        v.setUint16(4, zip64 ? 45 : 20, true);
        v.setUint16(6, flags, true);
        v.setUint16(8, method, true);
        v.setUint16(10, dosTime, true);
        v.setUint16(12, dosDate, true);
        v.setUint32(14, described ? 0 : crc, true);
        v.setUint32(18, zip64 ? 0xffffffff : described ? 0 : stored, true);
        v.setUint32(22, zip64 ? 0xffffffff : described ? 0 : size, true);
        v.setUint16(26, name.length, true);
        v.setUint16(28, (zip64 ? 20 : 0) + extra.length, true);
      }),
      name,
    ];
    if (zip64) {
      parts.push(record(20, (v) => {
        v.setUint16(0, 1, true);
        v.setUint16(2, 16, true);
        v.setBigUint64(4, BigInt(size), true);
        v.setBigUint64(12, BigInt(stored), true);
      }));
    }
    if (extra.length) parts.push(extra);
    if (typeof payload === "number") {
      const header = this.emit(parts);
      this.length += payload;
      return header;
    }
    parts.push(payload);
    if (described) {
      parts.push(record(zip64 ? 24 : 16, (v) => {
        v.setUint32(0, 0x08074b50, true);
        v.setUint32(4, crc, true);
        if (zip64) {
          v.setBigUint64(8, BigInt(stored), true);
          v.setBigUint64(16, BigInt(size), true);
        } else {
          v.setUint32(8, stored, true);
          v.setUint32(12, size, true);
        }
      }));
    }
    return this.emit(parts);
  }

  /** The central directory and the end records (zip64 ones when asked for or past 65,535 entries). */
  finish(): Uint8Array[] {
    const directoryOffset = this.length;
    const parts: Uint8Array[] = [];
    for (const p of this.placed) {
      parts.push(
        record(46, (v) => {
          v.setUint32(0, 0x02014b50, true);
          v.setUint16(4, (p.madeBy << 8) | 45, true);
          v.setUint16(6, p.zip64 ? 45 : 20, true);
          v.setUint16(8, p.flags, true);
          v.setUint16(10, p.method, true);
          v.setUint16(12, p.dosTime, true);
          v.setUint16(14, p.dosDate, true);
          v.setUint32(16, p.crc, true);
          v.setUint32(20, p.zip64 ? 0xffffffff : p.compressed, true);
          v.setUint32(24, p.zip64 ? 0xffffffff : p.size, true);
          v.setUint16(28, p.name.length, true);
          v.setUint16(30, (p.zip64 ? 28 : 0) + p.extra.length, true);
          v.setUint32(38, p.externalAttributes, true);
          v.setUint32(42, p.zip64 ? 0xffffffff : p.offset, true);
        }),
        p.name,
      );
      if (p.zip64) {
        parts.push(record(28, (v) => {
          v.setUint16(0, 1, true);
          v.setUint16(2, 24, true);
          v.setBigUint64(4, BigInt(p.size), true);
          v.setBigUint64(12, BigInt(p.compressed), true);
          v.setBigUint64(20, BigInt(p.offset), true);
        }));
      }
      if (p.extra.length) parts.push(p.extra);
    }
    const directoryLength = parts.reduce((sum, part) => sum + part.length, 0);
    const count = this.placed.length;
    const disk = this.options.diskNumber ?? 0;
    // More than 65,535 entries do not fit the classic end record: real archivers switch to zip64 there.
    const zip64 = Boolean(this.options.zip64 || this.options.zip64End) || count > 0xffff;
    if (zip64) {
      const recordOffset = directoryOffset + directoryLength;
      parts.push(
        record(56, (v) => {
          v.setUint32(0, 0x06064b50, true);
          v.setBigUint64(4, 44n, true); // size of the rest of the record
          v.setUint16(12, 45, true);
          v.setUint16(14, 45, true);
          v.setUint32(16, disk, true);
          v.setUint32(20, disk, true);
          v.setBigUint64(24, BigInt(count), true);
          v.setBigUint64(32, BigInt(count), true);
          v.setBigUint64(40, BigInt(directoryLength), true);
          v.setBigUint64(48, BigInt(directoryOffset), true);
        }),
        record(20, (v) => {
          v.setUint32(0, 0x07064b50, true);
          v.setUint32(4, disk, true);
          v.setBigUint64(8, BigInt(recordOffset), true);
          v.setUint32(16, disk + 1, true); // total number of disks
        }),
      );
    }
    const comment = utf8.encode(this.options.comment ?? "");
    parts.push(
      record(22, (v) => {
        v.setUint32(0, 0x06054b50, true);
        v.setUint16(4, zip64 ? 0xffff : disk, true);
        v.setUint16(6, zip64 ? 0xffff : disk, true);
        v.setUint16(8, zip64 ? 0xffff : count, true);
        v.setUint16(10, zip64 ? 0xffff : count, true);
        v.setUint32(12, zip64 ? 0xffffffff : directoryLength, true);
        v.setUint32(16, zip64 ? 0xffffffff : directoryOffset, true);
        v.setUint16(20, comment.length, true);
      }),
      comment,
    );
    return this.emit(parts);
  }

  private emit(parts: Uint8Array[]): Uint8Array[] {
    for (const part of parts) this.length += part.length;
    return parts;
  }
}

/** A whole archive in memory; `payloads[i]` is entry i's stored bytes (see `ZipWriter.add`). */
export function writeZip(entries: ZipEntrySpec[], payloads: Uint8Array[], options: ZipOptions = {}): Uint8Array {
  const writer = new ZipWriter(options);
  // Parts are gathered in a loop, not spread into a call: 100,000 entries make several hundred thousand.
  const parts: Uint8Array[][] = [writer.start(), ...entries.map((spec, i) => writer.add(spec, payloads[i])), writer.finish()];
  const out = new Uint8Array(writer.length);
  let at = 0;
  for (const group of parts) {
    for (const part of group) {
      out.set(part, at);
      at += part.length;
    }
  }
  return out;
}

/** The bytes each entry stores, given a raw-deflate function for the `deflate` ones. */
export function entryPayload(spec: ZipEntrySpec, deflateRaw: (data: Uint8Array) => Uint8Array): Uint8Array {
  if (spec.sameDataAs !== undefined) return EMPTY;
  const data = spec.data ?? EMPTY;
  return spec.method === "deflate" ? deflateRaw(data) : data;
}
