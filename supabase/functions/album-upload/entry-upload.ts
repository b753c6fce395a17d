// Extracts one archive entry straight into a Storage upload: the entry's bytes (read directly for
// stored and deflated entries — entry-bytes.ts —, through zip.js for the rest) flow through a counting
// TransformStream whose readable side is the upload's request body, so no photo is ever held in memory.
// The first bytes decide whether it is a photo (and its Content-Type) before the upload starts.
import type { FileEntry } from "@zip.js/zip.js";
import { looksLikeZip, SNIFF_BYTES, sniffImageType } from "../_shared/image-sniff.ts";
import { type ArchiveBudget, LimitExceeded } from "../_shared/limits.ts";
import { NESTED_ARCHIVE_REASON } from "../_shared/junk.ts";
import type { ReasonCode } from "./album-store.ts";
import type { PhotoUploader } from "./photo-storage.ts";
import { MetadataTap, type PhotoMetadata } from "./photo-metadata.ts";
import {
  BAD_DEFLATE, CRC_MISMATCH, EntryDamaged, type EntryInfo, MISSING_DATA, openEntryBytes, OUT_OF_BOUNDS, type RandomAccess,
  readsDirectly, SIZE_MISMATCH,
} from "./entry-bytes.ts";

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
 * Writes the entry's bytes into `sink`; resolves with the error that stopped it, if any. A zip.js entry
 * falls back to zip.js for what is not read directly; a bare directory record (a segment) has no fallback.
 */
async function pumpEntry(entry: FileEntry | EntryInfo, file: RandomAccess, sink: WritableStream<Uint8Array>): Promise<Error | null> {
  try {
    const direct = readsDirectly(entry) ? await openEntryBytes(file, entry) : null;
    if (direct) await direct.pipeTo(sink);
    else if ("getData" in entry) await entry.getData(sink, GET_DATA_OPTIONS);
    else throw new EntryDamaged(MISSING_DATA);
    return null;
  } catch (error) {
    // pipeTo / getData leave the sink errored; a throw before them must error it too, or nobody ends.
    if (!sink.locked) await sink.abort(error).catch(() => {});
    return error as Error;
  }
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
  let limit: LimitExceeded | null = null;
  const counting = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      try {
        meter.add(chunk.length);
      } catch (error) {
        limit = error as LimitExceeded;
        throw error;
      }
      controller.enqueue(chunk);
    },
  });
  const data = pumpEntry(entry, file, counting.writable);
  const reader = counting.readable.getReader();
  const head: Uint8Array[] = [];
  let headLength = 0, ended = false;
  try {
    while (headLength < SNIFF_BYTES) {
      const { done, value } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      head.push(value);
      headLength += value.length;
    }
  } catch (readError) {
    const dataError = await data;
    if (limit) return limitResult(limit, meter.produced);
    return failed(meter.produced, "damaged", damageReason(dataError ?? readError as Error));
  }
  const headBytes = concat(head, headLength);
  const contentType = sniffImageType(headBytes);
  if (!contentType) {
    await reader.cancel().catch(() => {});
    await data; // rejects because we cancelled; nothing to report for a file we do not keep
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
      const { done, value } = await reader.read();
      if (done) controller.close();
      else {
        metadata.add(value);
        controller.enqueue(value);
      }
    },
    cancel: (reason) => reader.cancel(reason),
  }, { highWaterMark: 0 });
  const upload = uploader.upload(key, body, contentType).then(() => null, (e: Error) => e);
  // Whatever the upload did, zip.js must not wait forever on a body nobody reads any more.
  upload.then(() => reader.cancel().catch(() => {}));
  const [uploadError, dataError] = await Promise.all([upload, data]);
  if (limit) return limitResult(limit, meter.produced);
  // A broken entry also breaks its upload, and a failed upload also aborts zip.js: report the cause.
  if (dataError && (dataError instanceof EntryDamaged || DAMAGE.test(dataError.message))) return failed(meter.produced, "damaged", damageReason(dataError));
  if (uploadError) return failed(meter.produced, "upload_failed", `upload failed: ${uploadError.message}`);
  if (dataError) return failed(meter.produced, "damaged", damageReason(dataError));
  return { status: "uploaded", size: meter.produced, contentType, reason: null, reasonCode: null, metadata: await metadata.read(file, entry.offset) };
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
