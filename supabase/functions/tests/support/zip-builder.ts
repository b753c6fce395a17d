// A tiny zip writer for tests. It writes exactly what it is told — including lies (CRC, sizes), flags
// (encrypted, data descriptor, UTF-8), zip64 records and hand-placed offsets for overlapping entries —
// so hostile archives can be built in code, byte by byte.
import { crc32Table } from "../../_shared/crc32.ts";

export interface ZipEntrySpec {
  name: string | Uint8Array;
  data?: Uint8Array;
  method?: "store" | "deflate";
  /** Override the CRC written in the headers (a corrupt entry). */
  crc32?: number;
  /** Override the uncompressed size written in the headers (a size lie). */
  uncompressedSize?: number;
  encrypted?: boolean;
  dataDescriptor?: boolean;
  zip64?: boolean;
  /** External attributes, e.g. a Unix symlink: (0o120777 << 16) >>> 0. */
  externalAttributes?: number;
  /** Upper byte of "version made by": 3 = Unix (needed for Unix attributes). */
  madeBy?: number;
  /** Point this central record at another entry's local header (overlapping entries). */
  sameDataAs?: number;
}

export interface ZipOptions {
  /** Force a zip64 end of central directory. */
  zip64?: boolean;
  /** Disk numbers in the end record (split archives use > 0). */
  diskNumber?: number;
  /** Bytes written before the first local header (e.g. the spanning marker PK\x07\x08). */
  prefix?: Uint8Array;
  comment?: string;
}

const enc = new TextEncoder();

export const crc32 = (data: Uint8Array): number => crc32Table(data, 0);

export async function deflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

class Bytes {
  parts: Uint8Array[] = [];
  length = 0;
  push(b: Uint8Array) {
    this.parts.push(b);
    this.length += b.length;
  }
  record(size: number, fill: (v: DataView) => void) {
    const b = new Uint8Array(size);
    fill(new DataView(b.buffer));
    this.push(b);
  }
  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

interface Written { spec: ZipEntrySpec; name: Uint8Array; crc: number; compressed: number; size: number; offset: number; flags: number; method: number }

export async function buildZip(entries: ZipEntrySpec[], options: ZipOptions = {}): Promise<Uint8Array> {
  const out = new Bytes();
  if (options.prefix) out.push(options.prefix);
  const written: Written[] = [];
  for (const spec of entries) {
    const name = typeof spec.name === "string" ? enc.encode(spec.name) : spec.name;
    const data = spec.data ?? new Uint8Array();
    const method = spec.method === "deflate" ? 8 : 0;
    const payload = method === 8 ? await deflateRaw(data) : data;
    const crc = spec.crc32 ?? crc32(data);
    const size = spec.uncompressedSize ?? data.length;
    const flags = (spec.encrypted ? 1 : 0) | (spec.dataDescriptor ? 8 : 0) | (typeof spec.name === "string" ? 0x800 : 0);
    if (spec.sameDataAs !== undefined) {
      const target = written[spec.sameDataAs];
      written.push({ ...target, spec, name });
      continue;
    }
    const offset = out.length;
    const zip64 = Boolean(spec.zip64);
    const localExtra = zip64 ? 20 : 0;
    out.record(30, (v) => {
      v.setUint32(0, 0x04034b50, true);
      v.setUint16(4, zip64 ? 45 : 20, true);
      v.setUint16(6, flags, true);
      v.setUint16(8, method, true);
      v.setUint32(14, spec.dataDescriptor ? 0 : crc, true);
      v.setUint32(18, zip64 ? 0xffffffff : spec.dataDescriptor ? 0 : payload.length, true);
      v.setUint32(22, zip64 ? 0xffffffff : spec.dataDescriptor ? 0 : size, true);
      v.setUint16(26, name.length, true);
      v.setUint16(28, localExtra, true);
    });
    out.push(name);
    if (zip64) {
      out.record(20, (v) => {
        v.setUint16(0, 1, true);
        v.setUint16(2, 16, true);
        v.setBigUint64(4, BigInt(size), true);
        v.setBigUint64(12, BigInt(payload.length), true);
      });
    }
    out.push(payload);
    if (spec.dataDescriptor) {
      out.record(zip64 ? 24 : 16, (v) => {
        v.setUint32(0, 0x08074b50, true);
        v.setUint32(4, crc, true);
        if (zip64) {
          v.setBigUint64(8, BigInt(payload.length), true);
          v.setBigUint64(16, BigInt(size), true);
        } else {
          v.setUint32(8, payload.length, true);
          v.setUint32(12, size, true);
        }
      });
    }
    written.push({ spec, name, crc, compressed: payload.length, size, offset, flags, method });
  }
  const directoryOffset = out.length;
  for (const w of written) {
    const zip64 = Boolean(w.spec.zip64);
    out.record(46, (v) => {
      v.setUint32(0, 0x02014b50, true);
      v.setUint16(4, ((w.spec.madeBy ?? 3) << 8) | 45, true);
      v.setUint16(6, zip64 ? 45 : 20, true);
      v.setUint16(8, w.flags, true);
      v.setUint16(10, w.method, true);
      v.setUint32(16, w.crc, true);
      v.setUint32(20, zip64 ? 0xffffffff : w.compressed, true);
      v.setUint32(24, zip64 ? 0xffffffff : w.size, true);
      v.setUint16(28, w.name.length, true);
      v.setUint16(30, zip64 ? 28 : 0, true);
      v.setUint32(38, w.spec.externalAttributes ?? ((0o100644 << 16) >>> 0), true);
      v.setUint32(42, zip64 ? 0xffffffff : w.offset, true);
    });
    out.push(w.name);
    if (zip64) {
      out.record(28, (v) => {
        v.setUint16(0, 1, true);
        v.setUint16(2, 24, true);
        v.setBigUint64(4, BigInt(w.size), true);
        v.setBigUint64(12, BigInt(w.compressed), true);
        v.setBigUint64(20, BigInt(w.offset), true);
      });
    }
  }
  const directoryLength = out.length - directoryOffset;
  const disk = options.diskNumber ?? 0;
  // More than 65 535 entries do not fit the classic end record: real archivers switch to zip64.
  if (written.length > 0xffff) options = { ...options, zip64: true };
  if (options.zip64) {
    const recordOffset = out.length;
    out.record(56, (v) => {
      v.setUint32(0, 0x06064b50, true);
      v.setBigUint64(4, 44n, true);
      v.setUint16(12, 45, true);
      v.setUint16(14, 45, true);
      v.setUint32(16, disk, true);
      v.setUint32(20, disk, true);
      v.setBigUint64(24, BigInt(written.length), true);
      v.setBigUint64(32, BigInt(written.length), true);
      v.setBigUint64(40, BigInt(directoryLength), true);
      v.setBigUint64(48, BigInt(directoryOffset), true);
    });
    out.record(20, (v) => {
      v.setUint32(0, 0x07064b50, true);
      v.setUint32(4, disk, true);
      v.setBigUint64(8, BigInt(recordOffset), true);
      v.setUint32(16, disk + 1, true);
    });
  }
  const comment = enc.encode(options.comment ?? "");
  out.record(22, (v) => {
    v.setUint32(0, 0x06054b50, true);
    v.setUint16(4, options.zip64 ? 0xffff : disk, true);
    v.setUint16(6, options.zip64 ? 0xffff : disk, true);
    v.setUint16(8, options.zip64 ? 0xffff : written.length, true);
    v.setUint16(10, options.zip64 ? 0xffff : written.length, true);
    v.setUint32(12, options.zip64 ? 0xffffffff : directoryLength, true);
    v.setUint32(16, options.zip64 ? 0xffffffff : directoryOffset, true);
    v.setUint16(20, comment.length, true);
  });
  out.push(comment);
  return out.concat();
}

/** Minimal valid images: enough magic bytes for the sniffer, padded to `size`. */
export function fakeJpeg(size = 2048, seed = 1): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + seed * 17) & 0xff;
  b.set([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);
  return b;
}

export function fakePng(size = 1024): Uint8Array {
  const b = new Uint8Array(size);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  return b;
}

export const text = (s: string) => enc.encode(s);
