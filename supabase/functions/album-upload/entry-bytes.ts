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

/** An entry's bytes pulled one chunk at a time, with no stream between the file and the consumer. */
export interface ChunkSource {
  /** The next chunk, or null at the end; rejects with EntryDamaged when the data is corrupt. */
  next(): Promise<Uint8Array | null>;
  /** Stops reading (and lets zip.js finish, for an entry it reads). */
  cancel(reason?: unknown): Promise<void>;
}

/**
 * The entry's verified bytes as chunks, or null when its local header is not at the recorded offset
 * (zip.js then reads it). Throws EntryDamaged when its data would run past the end of the file, or a
 * stored entry's two sizes disagree; `next()` rejects with EntryDamaged when the data is corrupt.
 * A stored entry's slices go from the file to the caller with no stream in between: each stream hop
 * costs the worker's one thread a few promises per chunk (docs/architecture.md#extraction-tuning).
 */
export async function openEntryChunks(file: RandomAccess, entry: EntryInfo): Promise<ChunkSource | null> {
  const start = await locateData(file, entry);
  if (start === null) return null;
  const crc32 = await loadCrc32();
  const oneShot = entry.compressionMethod === DEFLATED && entry.uncompressedSize <= ONE_SHOT_BYTES &&
      entry.compressedSize <= ONE_SHOT_BYTES
    ? await loadOneShotInflate()
    : null;
  const source = () =>
    entry.compressionMethod !== DEFLATED
      ? rangeChunks(file, start, entry.compressedSize)
      : oneShot
      ? oneShotChunks(file, start, entry, oneShot)
      : streamChunks(rangeStream(file, start, entry.compressedSize).pipeThrough(inflater()));
  return checkedChunks(source(), entry, crc32, async () => {
    // A native mismatch is confirmed by the reference implementation before an entry is called damaged.
    let crc = 0;
    const again = source();
    for (let chunk = await again.next(); chunk !== null; chunk = await again.next()) crc = crc32Table(chunk, crc);
    return crc;
  });
}

/** openEntryChunks() as a stream (for consumers that pipe). */
export async function openEntryBytes(file: RandomAccess, entry: EntryInfo): Promise<ReadableStream<Uint8Array> | null> {
  const chunks = await openEntryChunks(file, entry);
  if (!chunks) return null;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const chunk = await chunks.next();
      if (chunk === null) controller.close();
      else controller.enqueue(chunk);
    },
    cancel: (reason) => chunks.cancel(reason),
  }, { highWaterMark: 0 });
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

/** `length` bytes of the file from `start`, one slice per call, so nothing is read ahead of the consumer. */
function rangeChunks(file: RandomAccess, start: number, length: number): ChunkSource {
  const end = start + length;
  let at = start;
  return {
    async next() {
      if (at >= end) return null;
      const slice = await file.readUint8Array(at, Math.min(SLICE_BYTES, end - at));
      if (slice.length === 0) throw new EntryDamaged(OUT_OF_BOUNDS);
      at += slice.length;
      return slice;
    },
    cancel: () => {
      at = end;
      return Promise.resolve();
    },
  };
}

/**
 * Deflated entries up to this size (both sizes) are inflated in one native call with the output capped
 * just above the declared size: a small photo then costs one function call instead of a stream chain
 * per entry (docs/architecture.md#extraction-tuning), and a bomb stops at the cap.
 */
const ONE_SHOT_BYTES = 1024 * 1024;

type OneShotInflate = (data: Uint8Array, maxOutputLength: number) => Uint8Array;

/** Raw deflate of "Shoebox inflates Shoebox photos, Shoebox!": the native inflater must return exactly that. */
const SAMPLE_DEFLATED = [11, 206, 200, 79, 77, 202, 175, 80, 200, 204, 75, 203, 73, 44, 73, 45, 86, 8, 134, 10, 20, 100, 228, 151, 228, 23, 235, 192, 248, 138, 0];
const SAMPLE_TEXT = "Shoebox inflates Shoebox photos, Shoebox!";

let oneShotInflate: Promise<OneShotInflate | null> | null = null;

/**
 * `node:zlib`'s inflateRawSync when this runtime has one that works (imported on first use, like the
 * CRC-32: the Node layer costs memory that archives of stored photos never need); else null, and the
 * streaming inflater does the work.
 */
function loadOneShotInflate(): Promise<OneShotInflate | null> {
  oneShotInflate ??= (async () => {
    try {
      const specifier = "node:zlib"; // see crc32.ts: keeps type checking from pulling in @types/node
      const zlib = await import(specifier) as { inflateRawSync?: (data: Uint8Array, options: { maxOutputLength: number }) => Uint8Array };
      const inflate = zlib.inflateRawSync;
      if (typeof inflate !== "function") return null;
      const run: OneShotInflate = (data, maxOutputLength) => inflate(data, { maxOutputLength });
      const sample = new TextDecoder().decode(run(Uint8Array.from(SAMPLE_DEFLATED), SAMPLE_TEXT.length + 1));
      return sample === SAMPLE_TEXT ? run : null;
    } catch {
      return null;
    }
  })();
  return oneShotInflate;
}

/** A small deflated entry as one chunk; more output than declared reads as a size lie (the cap stops it). */
function oneShotChunks(file: RandomAccess, start: number, entry: EntryInfo, inflate: OneShotInflate): ChunkSource {
  let done = false;
  return {
    async next() {
      if (done) return null;
      done = true;
      const data = await file.readUint8Array(start, entry.compressedSize);
      if (data.length < entry.compressedSize) throw new EntryDamaged(OUT_OF_BOUNDS);
      try {
        return inflate(data, entry.uncompressedSize + 1);
      } catch (error) {
        throw new EntryDamaged((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE" ? SIZE_MISMATCH : BAD_DEFLATE);
      }
    },
    cancel: () => {
      done = true;
      return Promise.resolve();
    },
  };
}

/** The chunks of a stream (the inflater's output). */
function streamChunks(stream: ReadableStream<Uint8Array>): ChunkSource {
  const reader = stream.getReader();
  return {
    async next() {
      const { done, value } = await reader.read();
      return done ? null : value;
    },
    cancel: (reason) => reader.cancel(reason).catch(() => {}),
  };
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
function checkedChunks(inner: ChunkSource, entry: EntryInfo, crc32: Crc32, recheck: () => Promise<number>): ChunkSource {
  const expected = (entry.crc32 ?? entry.signature ?? 0) >>> 0;
  let held: Uint8Array | null = null;
  let produced = 0, crc = 0, ended = false;
  const fail = (reason: string): never => {
    ended = true;
    held = null;
    throw new EntryDamaged(reason);
  };
  return {
    async next() {
      while (!ended) {
        let chunk: Uint8Array | null;
        try {
          chunk = await inner.next();
        } catch (error) {
          ended = true;
          held = null;
          throw error;
        }
        if (chunk === null) {
          if (produced !== entry.uncompressedSize) fail(SIZE_MISMATCH);
          if (crc !== expected && (crc32 === crc32Table || await recheck() !== expected)) fail(CRC_MISMATCH);
          ended = true;
          break;
        }
        produced += chunk.length;
        if (produced > entry.uncompressedSize) fail(SIZE_MISMATCH);
        crc = crc32(chunk, crc);
        const out = held;
        held = chunk;
        if (out) return out;
      }
      const last = held;
      held = null;
      return last;
    },
    cancel(reason) {
      ended = true;
      held = null;
      return inner.cancel(reason);
    },
  };
}
