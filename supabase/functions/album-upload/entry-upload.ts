// Extracts one archive entry straight into a Storage upload: the entry's bytes (read directly for
// stored and deflated entries — entry-bytes.ts —, through zip.js for the rest) are counted and pulled
// chunk by chunk into the upload's request body, so no photo is ever held in memory.
// The first bytes decide whether it is a photo (and its Content-Type) before the upload starts.
import type { FileEntry } from "@zip.js/zip.js";
import { looksLikeZip, SNIFF_BYTES, sniffImageType } from "../_shared/image-sniff.ts";
import { type ArchiveBudget, LimitExceeded } from "../_shared/limits.ts";
import { NESTED_ARCHIVE_REASON } from "../_shared/junk.ts";
import type { ReasonCode } from "./album-store.ts";
import type { PhotoUploader } from "./photo-storage.ts";
import { MetadataTap, type PhotoMetadata } from "./photo-metadata.ts";
import {
  BAD_DEFLATE, type ChunkSource, CRC_MISMATCH, EntryDamaged, type EntryInfo, MISSING_DATA, openEntryChunks, OUT_OF_BOUNDS,
  type RandomAccess, readsDirectly, SIZE_MISMATCH,
} from "./entry-bytes.ts";
import { concatBytes } from "./concat-bytes.ts";

export interface Extracted {
  status: "uploaded" | "skipped" | "failed";
  /** Bytes actually produced (the object's exact size when uploaded). */
  size: number;
  contentType: string | null;
  reason: string | null;
  reasonCode: ReasonCode | null;
  /** What an uploaded photo's first bytes say: date taken, pixel size, orientation, camera (photo-metadata.ts). */
  metadata?: PhotoMetadata;
}

/** zip.js options per entry: CRC and size are verified while streaming (docs/architecture.md#extraction-tuning). */
const GET_DATA_OPTIONS = { checkSignature: true, useWebWorkers: false } as const;

const skipped = (size: number, reasonCode: ReasonCode, reason: string): Extracted =>
  ({ status: "skipped", size, contentType: null, reason, reasonCode });
const failed = (size: number, reasonCode: ReasonCode, reason: string): Extracted =>
  ({ status: "failed", size, contentType: null, reason, reasonCode });

const DAMAGE = /CRC32|uncompressed size|compressed data|Local file header|out of bounds|Compression method|ncrypt/;

/** Human-readable reason for an extraction error (ours carry it; zip.js's are translated). */
export function damageReason(error: Error): string {
  if (error instanceof EntryDamaged) return error.message;
  const message = error?.message ?? String(error);
  if (message.includes("CRC32")) return CRC_MISMATCH;
  if (message.includes("uncompressed size")) return SIZE_MISMATCH;
  if (message.includes("compressed data")) return BAD_DEFLATE;
  if (message.includes("Local file header")) return "damaged: its data is missing from the archive";
  if (message.includes("out of bounds")) return OUT_OF_BOUNDS;
  if (message.includes("Compression method")) return "uses a compression method Shoebox cannot read";
  if (message.includes("encrypted") || message.includes("Encryption")) {
    return "encrypted — Shoebox cannot open password-protected files";
  }
  return `could not be extracted: ${message}`;
}

function limitResult(limit: LimitExceeded, size: number): Extracted {
  return skipped(size, limit.kind === "too_large" ? "too_large" : limit.kind, limit.message);
}

/**
 * The entry's chunks: read directly (stored and deflated), else through zip.js, written into a stream
 * whose other end is read here. A bare directory record (a segment) has no zip.js fallback. Throws
 * EntryDamaged when the directly read entry is damaged before its first byte.
 */
async function entryChunks(entry: FileEntry | EntryInfo, file: RandomAccess): Promise<ChunkSource> {
  const direct = readsDirectly(entry) ? await openEntryChunks(file, entry) : null;
  if (direct) return direct;
  if (!("getData" in entry)) throw new EntryDamaged(MISSING_DATA);
  const pipe = new TransformStream<Uint8Array, Uint8Array>();
  // zip.js's own error reaches the reader too (it errors the stream); this only keeps it from going unhandled.
  const settled = entry.getData(pipe.writable, GET_DATA_OPTIONS).then(() => {}, () => {});
  const reader = pipe.readable.getReader();
  return {
    async next() {
      const { done, value } = await reader.read();
      return done ? null : value;
    },
    async cancel(reason) {
      // zip.js must not wait forever on a body nobody reads any more.
      await reader.cancel(reason).catch(() => {});
      await settled;
    },
  };
}

export async function extractAndUpload(
  entry: FileEntry | EntryInfo,
  key: string,
  uploader: PhotoUploader,
  budget: ArchiveBudget,
  file: RandomAccess,
): Promise<Extracted> {
  if (budget.exhausted) return skipped(0, "budget", budget.budgetMessage());
  const meter = budget.meter(entry.compressedSize);
  let source: ChunkSource;
  try {
    source = await entryChunks(entry, file);
  } catch (error) {
    return failed(0, "damaged", damageReason(error as Error));
  }
  // The chunks go from the source to the upload's body with no stream between (each hop costs the
  // worker's thread per chunk); the first error of either kind is kept to name the cause.
  let limit: LimitExceeded | null = null;
  let dataError: Error | null = null;
  const pull = async (): Promise<Uint8Array | null> => {
    let chunk: Uint8Array | null;
    try {
      chunk = await source.next();
    } catch (error) {
      dataError ??= error as Error;
      throw error;
    }
    if (chunk) {
      try {
        meter.add(chunk.length);
      } catch (error) {
        limit = error as LimitExceeded;
        await source.cancel(error);
        throw error;
      }
    }
    return chunk;
  };
  const head: Uint8Array[] = [];
  let headLength = 0, ended = false;
  try {
    while (headLength < SNIFF_BYTES) {
      const chunk = await pull();
      if (!chunk) {
        ended = true;
        break;
      }
      head.push(chunk);
      headLength += chunk.length;
    }
  } catch (readError) {
    await source.cancel(readError);
    if (limit) return limitResult(limit, meter.produced);
    return failed(meter.produced, "damaged", damageReason(dataError ?? readError as Error));
  }
  const headBytes = concatBytes(head, headLength);
  const contentType = sniffImageType(headBytes);
  if (!contentType) {
    await source.cancel(); // nothing to report for a file we do not keep
    if (looksLikeZip(headBytes)) return skipped(meter.produced, "nested_archive", NESTED_ARCHIVE_REASON);
    if (ended && headLength === 0) return skipped(0, "not_photo", "empty file, not a photo");
    return skipped(meter.produced, "not_photo", "not a photo");
  }
  // Sees each chunk on its way to Storage and keeps the first ones, for the photo's EXIF.
  const metadata = new MetadataTap(contentType);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of head) {
        metadata.add(chunk);
        controller.enqueue(chunk);
      }
      if (ended) controller.close();
    },
    async pull(controller) {
      const chunk = await pull();
      if (chunk) {
        metadata.add(chunk);
        controller.enqueue(chunk);
      } else controller.close();
    },
    cancel: (reason) => source.cancel(reason),
  }, { highWaterMark: 0 });
  const uploadError = await uploader.upload(key, body, contentType).then(() => null, (e: Error) => e);
  // Whatever the upload did, the source is done with (zip.js must not wait on a body nobody reads).
  await source.cancel();
  if (limit) return limitResult(limit, meter.produced);
  // A broken entry also breaks its upload: report the cause.
  const damage = dataError as Error | null;
  if (damage && (damage instanceof EntryDamaged || DAMAGE.test(damage.message))) return failed(meter.produced, "damaged", damageReason(damage));
  if (uploadError) return failed(meter.produced, "upload_failed", `upload failed: ${uploadError.message}`);
  if (damage) return failed(meter.produced, "damaged", damageReason(damage));
  return { status: "uploaded", size: meter.produced, contentType, reason: null, reasonCode: null, metadata: await metadata.read(file, entry.offset) };
}
