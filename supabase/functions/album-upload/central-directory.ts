// Reads the archive's end records and central directory ourselves (zip.js does too, but does not tell
// us why an archive is unusable in words a person understands): split/spanned archives, truncated
// uploads, damaged directories, wholly encrypted archives, too many entries. It also yields the
// fingerprint a resume must match, and finds overlapping entries — several directory records pointing
// into the same local data, the trick behind non-recursive zip bombs.

export interface RandomAccess {
  size: number;
  readUint8Array(offset: number, length: number): Promise<Uint8Array>;
}

export type ArchiveProblem = "truncated" | "split" | "unreadable" | "encrypted" | "too_many_entries";

export class ArchiveError extends Error {
  constructor(readonly problem: ArchiveProblem, message: string) {
    super(message);
  }
}

export interface CentralDirectory {
  entryCount: number;
  fileCount: number;
  /** `<archive bytes>:<sha-256 of the central directory>` — a resume must present the same archive. */
  fingerprint: string;
  /** Entry indexes (directory order) whose local data overlaps another entry's. */
  overlapping: Set<number>;
}

const EOCD = 0x06054b50, ZIP64_LOCATOR = 0x07064b50, ZIP64_EOCD = 0x06064b50, CENTRAL = 0x02014b50;
const EOCD_LENGTH = 22, CENTRAL_LENGTH = 46, LOCAL_HEADER_LENGTH = 30;
/** A directory larger than this is refused; 100 000 entries with long names stay well below it. */
const MAX_DIRECTORY_BYTES = 64 * 1024 * 1024;

const TRUNCATED = "The archive is incomplete: its end is missing, so the upload was probably cut short. Upload the whole file again.";
const SPLIT = "This archive is split into several parts (.z01, .z02, …). Join the parts into a single .zip file and upload that.";
const DAMAGED = "The archive is damaged: its table of contents (central directory) cannot be read.";

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

async function findEndRecord(file: RandomAccess): Promise<{ at: number; v: DataView }> {
  if (file.size < EOCD_LENGTH) throw new ArchiveError("truncated", TRUNCATED);
  const tailLength = Math.min(file.size, EOCD_LENGTH + 0xffff);
  const tail = await file.readUint8Array(file.size - tailLength, tailLength);
  const v = view(tail);
  for (let i = tail.length - EOCD_LENGTH; i >= 0; i--) {
    // The record must reach the end of the file (its comment included) to be the real one.
    if (v.getUint32(i, true) === EOCD && i + EOCD_LENGTH + v.getUint16(i + 20, true) <= tail.length) {
      return { at: file.size - tailLength + i, v: new DataView(tail.buffer, tail.byteOffset + i, EOCD_LENGTH) };
    }
  }
  throw new ArchiveError("truncated", TRUNCATED);
}

interface DirectoryLocation { offset: number; length: number; count: number; end: number }

async function locateDirectory(file: RandomAccess): Promise<DirectoryLocation> {
  const { at, v } = await findEndRecord(file);
  let disk = v.getUint16(4, true), directoryDisk = v.getUint16(6, true);
  let onDisk = v.getUint16(8, true), count = v.getUint16(10, true);
  let length = v.getUint32(12, true), offset = v.getUint32(16, true);
  let end = at;
  const needsZip64 = count === 0xffff || onDisk === 0xffff || length === 0xffffffff || offset === 0xffffffff;
  if (needsZip64 && at >= 20) {
    const locator = view(await file.readUint8Array(at - 20, 20));
    if (locator.getUint32(0, true) === ZIP64_LOCATOR) {
      if (locator.getUint32(16, true) > 1) throw new ArchiveError("split", SPLIT);
      const recordAt = Number(locator.getBigUint64(8, true));
      const record = await file.readUint8Array(recordAt, 56);
      const r = view(record);
      if (record.length < 56 || r.getUint32(0, true) !== ZIP64_EOCD) throw new ArchiveError("unreadable", DAMAGED);
      disk = r.getUint32(16, true);
      directoryDisk = r.getUint32(20, true);
      onDisk = Number(r.getBigUint64(24, true));
      count = Number(r.getBigUint64(32, true));
      length = Number(r.getBigUint64(40, true));
      offset = Number(r.getBigUint64(48, true));
      end = recordAt;
    }
  }
  if (disk !== 0 || directoryDisk !== 0 || onDisk !== count) throw new ArchiveError("split", SPLIT);
  if (length > end) throw new ArchiveError("truncated", TRUNCATED);
  return { offset, length, count, end };
}

/** Reads and checks the central directory; throws ArchiveError with a message for people. */
export async function readCentralDirectory(file: RandomAccess, maxEntries: number): Promise<CentralDirectory> {
  const location = await locateDirectory(file);
  if (location.count > maxEntries) throw tooMany(location.count, maxEntries);
  if (location.length > MAX_DIRECTORY_BYTES) throw new ArchiveError("unreadable", DAMAGED);
  // Data prepended to the archive (self-extractors) shifts every offset by the same amount.
  const actualOffset = location.end - location.length;
  const shift = actualOffset - location.offset;
  const bytes = await file.readUint8Array(actualOffset, location.length);
  if (bytes.length < location.length) throw new ArchiveError("truncated", TRUNCATED);
  const walk = walkDirectory(bytes, location.count, shift, maxEntries);
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  const hex = Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("");
  if (walk.fileCount > 0 && walk.encryptedFiles === walk.fileCount) {
    throw new ArchiveError(
      "encrypted",
      "Every file in this archive is password-protected. Shoebox cannot open encrypted archives; zip the photos again without a password.",
    );
  }
  return {
    entryCount: walk.count,
    fileCount: walk.fileCount,
    fingerprint: `${file.size}:${hex}`,
    overlapping: findOverlaps(walk.starts, walk.minimumEnds),
  };
}

interface Walk { count: number; fileCount: number; encryptedFiles: number; starts: Float64Array; minimumEnds: Float64Array }

function walkDirectory(bytes: Uint8Array, declared: number, shift: number, maxEntries: number): Walk {
  const v = view(bytes);
  let starts: Float64Array = new Float64Array(Math.min(declared, maxEntries) || 16);
  let minimumEnds: Float64Array = new Float64Array(starts.length);
  let fileCount = 0, encryptedFiles = 0, at = 0, count = 0;
  // Walk every record the directory holds instead of trusting the declared count: old archivers wrap
  // the 16-bit count past 65 535 entries, and a hostile one could under-declare to slip past the limit.
  while (at + 4 <= bytes.length && v.getUint32(at, true) === CENTRAL) {
    if (at + CENTRAL_LENGTH > bytes.length) throw new ArchiveError("unreadable", DAMAGED);
    if (count === maxEntries) throw tooMany(count + 1, maxEntries);
    if (count === starts.length) {
      starts = grow(starts);
      minimumEnds = grow(minimumEnds);
    }
    const flags = v.getUint16(at + 8, true);
    let compressed = v.getUint32(at + 20, true), uncompressed = v.getUint32(at + 24, true);
    const nameLength = v.getUint16(at + 28, true), extraLength = v.getUint16(at + 30, true);
    const commentLength = v.getUint16(at + 32, true);
    let diskStart = v.getUint16(at + 34, true), offset = v.getUint32(at + 42, true);
    const next = at + CENTRAL_LENGTH + nameLength + extraLength + commentLength;
    if (next > bytes.length) throw new ArchiveError("unreadable", DAMAGED);
    const zip64 = readZip64Extra(v, at + CENTRAL_LENGTH + nameLength, extraLength, {
      uncompressed: uncompressed === 0xffffffff, compressed: compressed === 0xffffffff,
      offset: offset === 0xffffffff, disk: diskStart === 0xffff,
    });
    uncompressed = zip64.uncompressed ?? uncompressed;
    compressed = zip64.compressed ?? compressed;
    offset = zip64.offset ?? offset;
    diskStart = zip64.disk ?? diskStart;
    if (diskStart !== 0) throw new ArchiveError("split", SPLIT);
    const lastNameByte = nameLength ? bytes[at + CENTRAL_LENGTH + nameLength - 1] : 0;
    const isFolder = lastNameByte === 0x2f || lastNameByte === 0x5c;
    if (!isFolder) {
      fileCount++;
      if (flags & 1) encryptedFiles++;
    }
    starts[count] = offset + shift;
    // A local header is at least 30 bytes, so this end is never past the real one: no false alarms.
    minimumEnds[count] = offset + shift + LOCAL_HEADER_LENGTH + compressed;
    count++;
    at = next;
  }
  if (count % 0x10000 !== declared % 0x10000) throw new ArchiveError("unreadable", DAMAGED);
  return { count, fileCount, encryptedFiles, starts: starts.subarray(0, count), minimumEnds: minimumEnds.subarray(0, count) };
}

function grow(array: Float64Array): Float64Array {
  const bigger = new Float64Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

function tooMany(count: number, maxEntries: number): ArchiveError {
  return new ArchiveError(
    "too_many_entries",
    `The archive lists ${count.toLocaleString("en")} files; one upload may hold at most ${maxEntries.toLocaleString("en")}.`,
  );
}

type Zip64Wanted = { uncompressed: boolean; compressed: boolean; offset: boolean; disk: boolean };

function readZip64Extra(v: DataView, start: number, length: number, wanted: Zip64Wanted) {
  const found: { uncompressed?: number; compressed?: number; offset?: number; disk?: number } = {};
  for (let at = start; at + 4 <= start + length;) {
    const id = v.getUint16(at, true), size = v.getUint16(at + 2, true);
    if (id === 0x0001) {
      let p = at + 4;
      const end = Math.min(p + size, start + length);
      if (wanted.uncompressed && p + 8 <= end) { found.uncompressed = Number(v.getBigUint64(p, true)); p += 8; }
      if (wanted.compressed && p + 8 <= end) { found.compressed = Number(v.getBigUint64(p, true)); p += 8; }
      if (wanted.offset && p + 8 <= end) { found.offset = Number(v.getBigUint64(p, true)); p += 8; }
      if (wanted.disk && p + 4 <= end) found.disk = v.getUint32(p, true);
      break;
    }
    at += 4 + size;
  }
  return found;
}

/** Indexes of entries whose data ranges overlap (sorted sweep; O(n log n), a few MB for 100 000). */
export function findOverlaps(starts: Float64Array, minimumEnds: Float64Array): Set<number> {
  const order = Uint32Array.from(starts.keys()).sort((a, b) => starts[a] - starts[b] || a - b);
  const overlapping = new Set<number>();
  let reach = -1, owner = -1;
  for (const i of order) {
    if (starts[i] < reach) {
      overlapping.add(i);
      overlapping.add(owner);
    }
    if (minimumEnds[i] > reach) {
      reach = minimumEnds[i];
      owner = i;
    }
  }
  return overlapping;
}
