// The bytes of a stored (method 0) or deflated (method 8) entry, read straight from the spooled archive:
// its byte range in 1 MiB slices, inflated by the runtime's native DecompressionStream when deflated,
// and checked against the sizes and CRC-32 the directory records. This costs the worker about half of
// zip.js's CPU for stored entries and three fifths for deflated ones, whose stream stack adds several
// hops per chunk (docs/architecture.md#extraction-tuning). zip.js keeps everything else: other methods, encryption, and any entry
// whose local header is not where the directory says (it then reports what is wrong).
import { type Crc32, crc32Table, loadCrc32 } from "../_shared/crc32.ts";
import type { RandomAccess } from "./central-directory.ts";

export type { RandomAccess };

/** What the central directory says about an entry (zip.js's Entry has these fields). */
export interface EntryInfo {
  offset: number;
  compressedSize: number;
  uncompressedSize: number;
  compressionMethod: number;
  encrypted: boolean;
  crc32?: number;
  signature?: number;
  /**
   * The directory's flags (and name length, when known): when given, the local header must agree with the directory
   * (name length, method, and CRC and sizes unless a data descriptor carries them) or the entry is damaged.
   * A segment's bytes arrive separately from its directory, so nothing else ties the two together.
   */
  checkAgainst?: { nameLength?: number; flags: number };
}

/** An entry whose bytes cannot be trusted; the message is the reason a person reads. */
export class EntryDamaged extends Error {}

export const CRC_MISMATCH = "damaged: its checksum does not match, the data is corrupt";
export const SIZE_MISMATCH = "damaged: it expands to a different size than the archive records";
export const OUT_OF_BOUNDS = "damaged: its data lies outside the archive";
export const BAD_DEFLATE = "damaged: its compressed data cannot be read";
export const MISSING_DATA = "damaged: its data is missing from the archive";
export const HEADER_MISMATCH = "damaged: its local header does not match the archive's table of contents";

const STORED = 0, DEFLATED = 8;
const LOCAL_HEADER = 0x04034b50, LOCAL_HEADER_LENGTH = 30;
/** Read size per slice: zip.js's own tuned chunk size (docs/architecture.md#extraction-tuning). */
export const SLICE_BYTES = 1024 * 1024;

export function readsDirectly(entry: EntryInfo): boolean {
  return (entry.compressionMethod === STORED || entry.compressionMethod === DEFLATED) && !entry.encrypted;
}

/**
 * The entry's verified bytes, or null when its local header is not at the recorded offset (zip.js then
 * reads it). Throws EntryDamaged when its data would run past the end of the file, or a stored entry's
 * two sizes disagree. The stream errors with EntryDamaged when the data is corrupt.
 */
export async function openEntryBytes(file: RandomAccess, entry: EntryInfo): Promise<ReadableStream<Uint8Array> | null> {
  const start = await locateData(file, entry);
  if (start === null) return null;
  const crc32 = await loadCrc32();
  const source = () => {
    const raw = rangeStream(file, start, entry.compressedSize);
    return entry.compressionMethod === DEFLATED ? raw.pipeThrough(inflater()) : raw;
  };
  return source().pipeThrough(checksumGate(entry, crc32, async () => {
    // A native mismatch is confirmed by the reference implementation before an entry is called damaged.
    let crc = 0;
    for await (const chunk of source()) crc = crc32Table(chunk, crc);
    return crc;
  }));
}

async function locateData(file: RandomAccess, entry: EntryInfo): Promise<number | null> {
  const header = await file.readUint8Array(entry.offset, LOCAL_HEADER_LENGTH);
  if (header.length < LOCAL_HEADER_LENGTH) return null;
  const v = new DataView(header.buffer, header.byteOffset, header.byteLength);
  if (v.getUint32(0, true) !== LOCAL_HEADER) {
    if (entry.checkAgainst) throw new EntryDamaged(MISSING_DATA);
    return null;
  }
  if (entry.checkAgainst && !agreesWithDirectory(v, entry)) throw new EntryDamaged(HEADER_MISMATCH);
  // Stored data is its own uncompressed form: two different sizes mean one of them lies.
  if (entry.compressionMethod === STORED && entry.compressedSize !== entry.uncompressedSize) throw new EntryDamaged(SIZE_MISMATCH);
  const start = entry.offset + LOCAL_HEADER_LENGTH + v.getUint16(26, true) + v.getUint16(28, true);
  if (start + entry.compressedSize > file.size) throw new EntryDamaged(OUT_OF_BOUNDS);
  return start;
}

function agreesWithDirectory(v: DataView, entry: EntryInfo): boolean {
  const { nameLength, flags } = entry.checkAgainst!;
  if ((nameLength !== undefined && v.getUint16(26, true) !== nameLength) || v.getUint16(8, true) !== entry.compressionMethod) return false;
  // With a data descriptor (flag bit 3) the local CRC and sizes may be zero; the directory's are checked
  // against the data anyway.
  if ((flags & 8) || (v.getUint16(6, true) & 8)) return true;
  const crc = v.getUint32(14, true), compressed = v.getUint32(18, true), uncompressed = v.getUint32(22, true);
  const expected = (entry.crc32 ?? entry.signature ?? 0) >>> 0;
  return crc === expected &&
    (compressed === 0xffffffff || compressed === entry.compressedSize) &&
    (uncompressed === 0xffffffff || uncompressed === entry.uncompressedSize);
}

/** `length` bytes of the file from `start`, one slice per pull, so nothing is read ahead of the consumer. */
function rangeStream(file: RandomAccess, start: number, length: number): ReadableStream<Uint8Array> {
  const end = start + length;
  let at = start;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (at >= end) return controller.close();
      const slice = await file.readUint8Array(at, Math.min(SLICE_BYTES, end - at));
      if (slice.length === 0) throw new EntryDamaged(OUT_OF_BOUNDS);
      at += slice.length;
      controller.enqueue(slice);
    },
  }, { highWaterMark: 0 });
}

/**
 * Deno's DecompressionStream inflates each written chunk in one go and emits the whole result as one
 * chunk: a 1 MiB slice of a zip bomb would become a single ~1 GB allocation before anything could count
 * it. Fed 16 KiB at a time (deflate expands at most ~1032:1), no chunk passes ~17 MB and the limits see
 * a bomb after its first piece; smaller pieces cost measurably more CPU per photo.
 */
const INFLATE_PIECE_BYTES = 16 * 1024;

/** Native raw-deflate inflation, fed in bounded pieces, whose failures read as damage. */
function inflater(): ReadableWritablePair<Uint8Array, Uint8Array> {
  const pieces = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      for (let at = 0; at < chunk.length; at += INFLATE_PIECE_BYTES) controller.enqueue(chunk.subarray(at, at + INFLATE_PIECE_BYTES));
    },
  });
  const inflate = new DecompressionStream("deflate-raw");
  pieces.readable.pipeTo(inflate.writable as WritableStream<Uint8Array>).catch(() => {}); // errors surface on the readable side
  const reader = inflate.readable.getReader();
  const readable = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next;
      try {
        next = await reader.read();
      } catch (error) {
        // A read error upstream (data past the end) arrives here too and keeps its own reason.
        throw error instanceof EntryDamaged ? error : new EntryDamaged(BAD_DEFLATE);
      }
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  }, { highWaterMark: 0 });
  return { writable: pieces.writable, readable };
}

/**
 * Passes the entry's bytes through while counting them and computing their CRC-32. More bytes than the
 * directory records fail at once (a size lie, or a bomb); the last chunk is held back until size and
 * checksum match, so a consumer — the upload — never receives a whole corrupt photo.
 */
function checksumGate(entry: EntryInfo, crc32: Crc32, recheck: () => Promise<number>): TransformStream<Uint8Array, Uint8Array> {
  const expected = (entry.crc32 ?? entry.signature ?? 0) >>> 0;
  let held: Uint8Array | null = null;
  let produced = 0, crc = 0;
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      produced += chunk.length;
      if (produced > entry.uncompressedSize) throw new EntryDamaged(SIZE_MISMATCH);
      crc = crc32(chunk, crc);
      if (held) controller.enqueue(held);
      held = chunk;
    },
    async flush(controller) {
      if (produced !== entry.uncompressedSize) throw new EntryDamaged(SIZE_MISMATCH);
      if (crc !== expected && (crc32 === crc32Table || await recheck() !== expected)) throw new EntryDamaged(CRC_MISMATCH);
      if (held) controller.enqueue(held);
    },
  });
}
