// Stored (method 0) entries need no decompression: their bytes in the archive are the photo. Reading
// that byte range straight from the spooled file in 1 MiB slices and checking the CRC-32 natively costs
// a fraction of the CPU of a pass through zip.js's stream stack (design.md §6). zip.js keeps everything
// else — deflate, encryption, and any entry whose local header is not where the directory says.
import { type Crc32, crc32Table, loadCrc32 } from "../_shared/crc32.ts";

export interface RandomAccess {
  size: number;
  readUint8Array(offset: number, length: number): Promise<Uint8Array>;
}

/** What the central directory says about an entry (zip.js's Entry has these fields). */
export interface StoredEntryInfo {
  offset: number;
  compressedSize: number;
  uncompressedSize: number;
  compressionMethod: number;
  encrypted: boolean;
  crc32?: number;
  signature?: number;
}

/** An entry whose bytes cannot be trusted; the message is the reason a person reads. */
export class EntryDamaged extends Error {}

export const CRC_MISMATCH = "damaged: its checksum does not match, the data is corrupt";
export const SIZE_MISMATCH = "damaged: it expands to a different size than the archive records";
export const OUT_OF_BOUNDS = "damaged: its data lies outside the archive";

const LOCAL_HEADER = 0x04034b50, LOCAL_HEADER_LENGTH = 30;
/** Read size per slice: zip.js's own tuned chunk size (design.md §6). */
export const SLICE_BYTES = 1024 * 1024;

export function isPlainStored(entry: StoredEntryInfo): boolean {
  return entry.compressionMethod === 0 && !entry.encrypted;
}

/**
 * Where a stored entry's data starts, or null when its local header is not at the recorded offset
 * (prepended data, an odd writer): zip.js then reads it and reports what is wrong. Throws EntryDamaged
 * when the sizes disagree or the data would run past the end of the file.
 */
export async function locateStoredData(file: RandomAccess, entry: StoredEntryInfo): Promise<number | null> {
  const header = await file.readUint8Array(entry.offset, LOCAL_HEADER_LENGTH);
  if (header.length < LOCAL_HEADER_LENGTH) return null;
  const v = new DataView(header.buffer, header.byteOffset, header.byteLength);
  if (v.getUint32(0, true) !== LOCAL_HEADER) return null;
  // Stored data is its own uncompressed form: two different sizes mean one of them lies.
  if (entry.compressedSize !== entry.uncompressedSize) throw new EntryDamaged(SIZE_MISMATCH);
  const start = entry.offset + LOCAL_HEADER_LENGTH + v.getUint16(26, true) + v.getUint16(28, true);
  if (start + entry.compressedSize > file.size) throw new EntryDamaged(OUT_OF_BOUNDS);
  return start;
}

/**
 * The entry's bytes, pulled slice by slice as the consumer asks. The last slice is only handed over
 * once the CRC-32 matches, so a corrupt entry errors its consumer (and aborts its upload) instead of
 * completing it.
 */
export function storedEntryStream(file: RandomAccess, start: number, entry: StoredEntryInfo): ReadableStream<Uint8Array> {
  const expected = (entry.crc32 ?? entry.signature ?? 0) >>> 0;
  const end = start + entry.compressedSize;
  let at = start, crc = 0;
  let crc32: Crc32;
  return new ReadableStream<Uint8Array>({
    async start() {
      crc32 = await loadCrc32();
    },
    async pull(controller) {
      if (at >= end) {
        // An empty entry: nothing to read, but its recorded CRC must still be the empty one.
        if (expected !== 0) controller.error(new EntryDamaged(CRC_MISMATCH));
        else controller.close();
        return;
      }
      const slice = await file.readUint8Array(at, Math.min(SLICE_BYTES, end - at));
      if (slice.length === 0) throw new EntryDamaged(OUT_OF_BOUNDS);
      at += slice.length;
      crc = crc32(slice, crc);
      if (at < end) return controller.enqueue(slice);
      if (crc !== expected && await recomputeInJavaScript(file, start, end) !== expected) {
        throw new EntryDamaged(CRC_MISMATCH);
      }
      controller.enqueue(slice);
      controller.close();
    },
  }, { highWaterMark: 0 });
}

/** A native mismatch is confirmed by the reference implementation before an entry is called damaged. */
async function recomputeInJavaScript(file: RandomAccess, start: number, end: number): Promise<number> {
  let crc = 0;
  for (let at = start; at < end;) {
    const slice = await file.readUint8Array(at, Math.min(SLICE_BYTES, end - at));
    if (slice.length === 0) break;
    crc = crc32Table(slice, crc);
    at += slice.length;
  }
  return crc;
}
