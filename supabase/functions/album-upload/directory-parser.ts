// Parses a central directory from its bytes into flat arrays, one slot per record: no entry objects, no
// zip.js, a few microseconds of CPU per entry, so a directory of 100,000 entries is recorded by one
// invocation (docs/architecture.md#segmented-upload). It checks what the directory alone can tell: split
// parts, damaged records, too many entries, and entries whose data overlaps another's (the trick behind
// non-recursive zip bombs).
import { type DirectoryLocation, UploadProblem } from "../_shared/upload-protocol.ts";
import { findOverlaps } from "./central-directory.ts";

const CENTRAL = 0x02014b50, CENTRAL_LENGTH = 46, LOCAL_HEADER_LENGTH = 30;

/** Values of ParsedDirectory.kinds. */
export const EntryKind = { File: 0, Folder: 1, Symlink: 2 } as const;

/** One slot per directory record, in directory order. Offsets are file offsets (prepended bytes included). */
export interface ParsedDirectory {
  count: number;
  fileCount: number;
  encryptedFiles: number;
  /** Sum of the uncompressed sizes the files declare. */
  declaredBytes: number;
  names: string[];
  /** Length of each raw name in bytes (the local header repeats it). */
  nameLengths: Uint16Array;
  kinds: Uint8Array;
  offsets: Float64Array;
  compressed: Float64Array;
  uncompressed: Float64Array;
  crc32: Uint32Array;
  methods: Uint16Array;
  flags: Uint16Array;
  overlapping: Set<number>;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
// The IBM PC character set zip tools use for names without the UTF-8 flag (upper half; lower half is ASCII).
const CP437 = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0";

/** Names as zip.js reads them: UTF-8 when flagged or valid UTF-8, else CP437. */
function decodeName(bytes: Uint8Array, start: number, length: number, utf8Flag: boolean): string {
  let ascii = true;
  for (let i = start; i < start + length; i++) {
    if (bytes[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return String.fromCharCode.apply(null, bytes.subarray(start, start + length) as unknown as number[]);
  const raw = bytes.subarray(start, start + length);
  try {
    return utf8.decode(raw);
  } catch {
    if (utf8Flag) return new TextDecoder().decode(raw); // flagged but invalid: replacement characters
    let text = "";
    for (const byte of raw) text += byte < 0x80 ? String.fromCharCode(byte) : CP437[byte - 0x80];
    return text;
  }
}

function tooMany(count: number, maxEntries: number): UploadProblem {
  return new UploadProblem(
    "too_many_entries",
    `The archive lists ${count.toLocaleString("en")} files; one upload may hold at most ${maxEntries.toLocaleString("en")}. Split it into several zips with fewer files each.`,
  );
}

/**
 * Reads every record of `bytes` (the directory `location` describes). Throws UploadProblem `split`,
 * `damaged`, `too_many_entries` or `encrypted` (every file password-protected).
 */
export function parseDirectory(bytes: Uint8Array, location: DirectoryLocation, maxEntries: number): ParsedDirectory {
  if (location.declaredEntries > maxEntries) throw tooMany(location.declaredEntries, maxEntries);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Walk every record instead of trusting the declared count: old archivers wrap the 16-bit count past
  // 65,535 entries, and a hostile one could under-declare to slip past the limit.
  let capacity = Math.max(16, Math.min(location.declaredEntries || 16, maxEntries));
  let d = allocate(capacity);
  const names: string[] = [];
  const shift = location.shift;
  let at = 0, count = 0, fileCount = 0, encryptedFiles = 0, declaredBytes = 0;
  while (at + 4 <= bytes.length && v.getUint32(at, true) === CENTRAL) {
    if (at + CENTRAL_LENGTH > bytes.length) throw new UploadProblem("damaged");
    if (count === maxEntries) throw tooMany(count + 1, maxEntries);
    if (count === capacity) {
      capacity *= 2;
      d = grow(d, capacity);
    }
    const madeBy = v.getUint16(at + 4, true);
    const flags = v.getUint16(at + 8, true);
    const method = v.getUint16(at + 10, true);
    const crc = v.getUint32(at + 16, true);
    let compressed = v.getUint32(at + 20, true), uncompressed = v.getUint32(at + 24, true);
    const nameLength = v.getUint16(at + 28, true), extraLength = v.getUint16(at + 30, true);
    const commentLength = v.getUint16(at + 32, true);
    let disk = v.getUint16(at + 34, true);
    const external = v.getUint32(at + 38, true);
    let offset = v.getUint32(at + 42, true);
    const nameStart = at + CENTRAL_LENGTH;
    const next = nameStart + nameLength + extraLength + commentLength;
    if (next > bytes.length) throw new UploadProblem("damaged");
    if (compressed === 0xffffffff || uncompressed === 0xffffffff || offset === 0xffffffff || disk === 0xffff) {
      // zip64 extra field (0x0001): only the fields whose 32-bit value is saturated, in this order.
      for (let x = nameStart + nameLength, end = x + extraLength; x + 4 <= end;) {
        const id = v.getUint16(x, true), size = v.getUint16(x + 2, true);
        if (id === 0x0001) {
          let p = x + 4;
          const stop = Math.min(p + size, end);
          if (uncompressed === 0xffffffff && p + 8 <= stop) { uncompressed = Number(v.getBigUint64(p, true)); p += 8; }
          if (compressed === 0xffffffff && p + 8 <= stop) { compressed = Number(v.getBigUint64(p, true)); p += 8; }
          if (offset === 0xffffffff && p + 8 <= stop) { offset = Number(v.getBigUint64(p, true)); p += 8; }
          if (disk === 0xffff && p + 4 <= stop) disk = v.getUint32(p, true);
          break;
        }
        x += 4 + size;
      }
    }
    if (disk !== 0) throw new UploadProblem("split");
    const last = nameLength ? bytes[nameStart + nameLength - 1] : 0;
    const unixType = (external >>> 16) & 0xf000;
    let kind: number = EntryKind.File;
    if (last === 0x2f || last === 0x5c || unixType === 0x4000 || ((madeBy >> 8) === 0 && (external & 0x10) !== 0)) kind = EntryKind.Folder;
    else if (unixType === 0xa000) kind = EntryKind.Symlink;
    if (kind !== EntryKind.Folder) {
      fileCount++;
      declaredBytes += uncompressed;
      if (flags & 1) encryptedFiles++;
    }
    names.push(decodeName(bytes, nameStart, nameLength, (flags & 0x800) !== 0));
    d.nameLengths[count] = nameLength;
    d.kinds[count] = kind;
    d.offsets[count] = offset + shift;
    d.compressed[count] = compressed;
    d.uncompressed[count] = uncompressed;
    d.crc32[count] = crc;
    d.methods[count] = method;
    d.flags[count] = flags;
    count++;
    at = next;
  }
  if (count % 0x10000 !== location.declaredEntries % 0x10000) throw new UploadProblem("damaged");
  if (fileCount > 0 && encryptedFiles === fileCount) throw new UploadProblem("encrypted");
  const offsets = d.offsets.subarray(0, count);
  const compressed = d.compressed.subarray(0, count);
  // A local header is at least 30 bytes, so this end is never past the real one: no false alarms.
  const minimumEnds = new Float64Array(count);
  for (let i = 0; i < count; i++) minimumEnds[i] = offsets[i] + LOCAL_HEADER_LENGTH + compressed[i];
  return {
    count, fileCount, encryptedFiles, declaredBytes, names,
    nameLengths: d.nameLengths.subarray(0, count),
    kinds: d.kinds.subarray(0, count),
    offsets, compressed,
    uncompressed: d.uncompressed.subarray(0, count),
    crc32: d.crc32.subarray(0, count),
    methods: d.methods.subarray(0, count),
    flags: d.flags.subarray(0, count),
    overlapping: findOverlaps(offsets, minimumEnds),
  };
}

type Columns = Pick<ParsedDirectory, "nameLengths" | "kinds" | "offsets" | "compressed" | "uncompressed" | "crc32" | "methods" | "flags">;

function allocate(n: number): Columns {
  return {
    nameLengths: new Uint16Array(n), kinds: new Uint8Array(n), offsets: new Float64Array(n), compressed: new Float64Array(n),
    uncompressed: new Float64Array(n), crc32: new Uint32Array(n), methods: new Uint16Array(n), flags: new Uint16Array(n),
  };
}

function grow(d: Columns, n: number): Columns {
  const bigger = allocate(n);
  for (const key of Object.keys(d) as (keyof Columns)[]) (bigger[key] as { set(a: ArrayLike<number>): void }).set(d[key]);
  return bigger;
}
