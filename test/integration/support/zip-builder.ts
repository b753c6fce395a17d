// Writes zip archives byte by byte for the album-upload integration tests. Ordinary archivers refuse to
// write the archives these tests need (a wrong CRC, a lying encrypted flag, two directory records
// sharing one entry's data), so the writer does exactly what each entry spec says — nothing more.
import { deflateRawSync } from "node:zlib";
import { crc32 } from "./crc32.ts";

export interface ZipEntrySpec {
  /** A string is written as UTF-8 with the language-encoding flag (bit 11) set. */
  name: string;
  data?: Uint8Array;
  method?: "store" | "deflate";
  /** Written instead of the real CRC-32 (a corrupt entry). */
  crc32?: number;
  /** Sets the "encrypted" flag; the data is written as given. */
  encrypted?: boolean;
  /** Sizes and CRC follow the data in a descriptor (streaming archivers, bit 3). */
  dataDescriptor?: boolean;
  /** Sizes live in a zip64 extra field, the 32-bit fields say 0xffffffff. */
  zip64?: boolean;
  /** This directory record points at the local data of entry number `sameDataAs` (overlap bomb). */
  sameDataAs?: number;
  /** Written instead of the real uncompressed size (an archive that lies about what it holds). */
  declaredSize?: number;
  /** Unix mode in the external attributes (default: a regular file, or a folder for names ending in /). */
  unixMode?: number;
}

export interface ZipOptions {
  /** Zip64 end-of-central-directory record and locator, as archivers write past 65 535 entries. */
  zip64End?: boolean;
}

interface Placed {
  name: Buffer;
  flags: number;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
  zip64: boolean;
  mode: number;
}

const u16 = (n: number) => { const b = Buffer.alloc(2); b.writeUInt16LE(n); return b; };
const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(n >>> 0); return b; };
const u64 = (n: number) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(n)); return b; };

export function buildZip(entries: ZipEntrySpec[], options: ZipOptions = {}): Buffer {
  const parts: Buffer[] = [];
  let length = 0;
  const push = (...buffers: Buffer[]) => buffers.forEach((b) => (parts.push(b), (length += b.length)));
  const placed: Placed[] = [];

  for (const spec of entries) {
    const name = Buffer.from(spec.name, "utf8");
    if (spec.sameDataAs !== undefined) {
      placed.push({ ...placed[spec.sameDataAs], name });
      continue;
    }
    const data = Buffer.from(spec.data ?? new Uint8Array());
    const method = spec.method === "deflate" ? 8 : 0;
    const payload = method === 8 ? deflateRawSync(data) : data;
    const crc = spec.crc32 ?? crc32(data);
    const flags = (spec.encrypted ? 1 : 0) | (spec.dataDescriptor ? 8 : 0) | 0x800;
    const zip64 = Boolean(spec.zip64);
    const described = Boolean(spec.dataDescriptor);
    const size = spec.declaredSize ?? data.length;
    const mode = spec.unixMode ?? (spec.name.endsWith("/") ? 0o040755 : 0o100644);
    const offset = length;
    push(
      u32(0x04034b50), u16(zip64 ? 45 : 20), u16(flags), u16(method), u16(0), u16(0x21), // time, date
      u32(described ? 0 : crc),
      u32(zip64 ? 0xffffffff : described ? 0 : payload.length),
      u32(zip64 ? 0xffffffff : described ? 0 : size),
      u16(name.length), u16(zip64 ? 20 : 0), name,
    );
    if (zip64) push(u16(1), u16(16), u64(size), u64(payload.length));
    push(payload);
    if (described) {
      push(u32(0x08074b50), u32(crc));
      if (zip64) push(u64(payload.length), u64(size));
      else push(u32(payload.length), u32(size));
    }
    placed.push({ name, flags, method, crc, compressed: payload.length, size, offset, zip64, mode });
  }

  const directoryOffset = length;
  for (const p of placed) {
    push(
      u32(0x02014b50), u16((3 << 8) | 45), u16(p.zip64 ? 45 : 20), u16(p.flags), u16(p.method),
      u16(0), u16(0x21), u32(p.crc),
      u32(p.zip64 ? 0xffffffff : p.compressed), u32(p.zip64 ? 0xffffffff : p.size),
      u16(p.name.length), u16(p.zip64 ? 28 : 0), u16(0), u16(0), u16(0),
      u32(p.mode * 0x10000), // Unix mode in the high half ("version made by" says Unix)
      u32(p.zip64 ? 0xffffffff : p.offset), p.name,
    );
    if (p.zip64) push(u16(1), u16(24), u64(p.size), u64(p.compressed), u64(p.offset));
  }
  const directoryLength = length - directoryOffset;
  const count = placed.length;

  // More than 65 535 entries do not fit the classic end record: archivers switch to zip64 there.
  const z = Boolean(options.zip64End) || count > 0xffff;
  if (z) {
    const recordOffset = length;
    push(u32(0x06064b50), u64(44), u16(45), u16(45), u32(0), u32(0), u64(count), u64(count),
      u64(directoryLength), u64(directoryOffset));
    push(u32(0x07064b50), u32(0), u64(recordOffset), u32(1));
  }
  push(u32(0x06054b50), u16(0), u16(0), u16(z ? 0xffff : count), u16(z ? 0xffff : count),
    u32(z ? 0xffffffff : directoryLength), u32(z ? 0xffffffff : directoryOffset), u16(0));
  return Buffer.concat(parts, length);
}
