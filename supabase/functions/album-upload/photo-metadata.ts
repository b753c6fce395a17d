// A photo's date taken, pixel size, orientation and camera, read while the photo streams into Storage
// (docs/architecture.md#photo-metadata): MetadataTap keeps what it needs from the chunks the upload reads
// anyway — nothing is read or inflated twice — within the photo's first METADATA_PREFIX_BYTES (and a
// HEIC's Exif item wherever it lies), and EXIF is parsed from those bytes with exifr's lite build, picking
// only the tags stored. Without an EXIF date the
// zip entry's own modification time is used. Best effort throughout: a broken or missing EXIF block gives
// fewer fields, never a failed photo.
import exifr from "exifr";
import type { PhotoMetadataColumns } from "../_shared/photo-metadata-columns.ts";
import { archiveModifiedAt } from "./archive-time.ts";
import type { RandomAccess } from "./central-directory.ts";
import { JpegHead } from "./jpeg-head.ts";
import { LateExifItem, MAX_EXIF_ITEM_BYTES } from "./late-exif-item.ts";
import { bmffLayout, pixelSize } from "./pixel-size.ts";
import { concatBytes } from "./concat-bytes.ts";

/** EXIF sits in a JPEG's first APP1 segment (64 KiB at most) and near the start of a phone's HEIC. */
export const METADATA_PREFIX_BYTES = 128 * 1024;

/** The entry row's metadata columns, as this module reads them from a photo. */
export type PhotoMetadata = PhotoMetadataColumns;

export const NO_METADATA: Readonly<PhotoMetadata> = Object.freeze({
  taken_at: null, taken_at_source: null, width: null, height: null, orientation: null, camera_make: null, camera_model: null,
});

/** What exifr returns for the picked tags (raw values: reviveValues and translateValues are off). */
interface ExifTags {
  Make?: unknown;
  Model?: unknown;
  Orientation?: unknown;
  DateTimeOriginal?: unknown;
  CreateDate?: unknown;
  OffsetTimeOriginal?: unknown;
  OffsetTimeDigitized?: unknown;
  ExifImageWidth?: unknown;
  ExifImageHeight?: unknown;
}

/**
 * Only IFD0 and the Exif IFD, only these tags, no other segment, from the buffer as given (no chunked
 * reading): this keeps exifr at a few microseconds per photo (scripts/bench/photo-metadata.ts).
 */
const EXIFR_OPTIONS = {
  tiff: true,
  ifd0: { pick: ["Make", "Model", "Orientation"] },
  exif: { pick: ["DateTimeOriginal", "CreateDate", "OffsetTimeOriginal", "OffsetTimeDigitized", "ExifImageWidth", "ExifImageHeight"] },
  ifd1: false, gps: false, interop: false, makerNote: false, userComment: false,
  xmp: false, icc: false, iptc: false, jfif: false, ihdr: false,
  chunked: false, mergeOutput: true, reviveValues: false, translateValues: false, translateKeys: true, sanitize: true,
};

const EXIF_FORMATS = new Set(["image/jpeg", "image/heic", "image/heif", "image/avif"]);

/** The picked tags of the EXIF in `bytes` (a JPEG, HEIC or AVIF); undefined when there is none to read. */
async function exifTags(bytes: Uint8Array): Promise<ExifTags | undefined> {
  try {
    return await exifr.parse(bytes, EXIFR_OPTIONS) as ExifTags | undefined;
  } catch {
    return undefined; // truncated or corrupt EXIF: the rest still counts
  }
}

/** Metadata from a photo's first bytes; fields it cannot read are null. Never throws. */
export async function readPhotoMetadata(prefix: Uint8Array, contentType: string): Promise<PhotoMetadata> {
  const found: PhotoMetadata = { ...NO_METADATA };
  const tags = EXIF_FORMATS.has(contentType) ? await exifTags(prefix) : undefined;
  const bmff = contentType === "image/jpeg" ? null : bmffLayoutIfAny(prefix, contentType);
  let frame = null;
  try {
    frame = bmff ? bmff.size : pixelSize(prefix, contentType);
  } catch {
    frame = null;
  }
  // The frame's own size is what the file stores; EXIF's copy is only a fallback (editors leave it stale).
  const exifWidth = dimension(tags?.ExifImageWidth), exifHeight = dimension(tags?.ExifImageHeight);
  if (frame) {
    found.width = frame.width;
    found.height = frame.height;
  } else if (exifWidth && exifHeight) {
    found.width = exifWidth;
    found.height = exifHeight;
  }
  found.orientation = bmff?.orientation ?? null;
  return withTags(found, tags);
}

/** `found` with what EXIF `tags` say about date, orientation and camera put over it. */
function withTags(found: PhotoMetadata, tags: ExifTags | undefined): PhotoMetadata {
  if (!tags) return found;
  const out = { ...found };
  out.orientation = orientation(tags.Orientation) ?? found.orientation;
  out.camera_make = text(tags.Make) ?? found.camera_make;
  out.camera_model = text(tags.Model) ?? found.camera_model;
  const taken = exifDate(tags.DateTimeOriginal, tags.OffsetTimeOriginal) ?? exifDate(tags.CreateDate, tags.OffsetTimeDigitized);
  if (taken) {
    out.taken_at = taken;
    out.taken_at_source = "exif";
  }
  return out;
}

function bmffLayoutIfAny(prefix: Uint8Array, contentType: string) {
  if (contentType !== "image/heic" && contentType !== "image/heif" && contentType !== "image/avif") return null;
  try {
    return bmffLayout(prefix);
  } catch {
    return null;
  }
}

/** "2024:07:12 14:05:09" as the standard says; some writers use hyphens or a "T". */
const EXIF_DATE = /^(\d{4})[:-](\d\d)[:-](\d\d)[ T](\d\d):(\d\d):(\d\d)/;
const UTC_OFFSET = /^\s*([+-])(\d\d):?(\d\d)\s*$/;

/**
 * An EXIF date ("2024:07:12 14:05:09") as an ISO instant. EXIF dates carry no zone: with an offset tag
 * ("+02:00") it is applied, without one the wall-clock time is taken as UTC. Null for a blank or
 * impossible date ("0000:00:00 00:00:00", 31 February) or one before photography.
 */
export function exifDate(value: unknown, offset: unknown): string | null {
  if (typeof value !== "string") return null;
  const m = EXIF_DATE.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  if (year < 1826 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(local).getUTCDate() !== day) return null;
  let shift = 0;
  const o = typeof offset === "string" ? UTC_OFFSET.exec(offset) : null;
  if (o && Number(o[2]) <= 14 && Number(o[3]) <= 59) shift = (o[1] === "-" ? -1 : 1) * (Number(o[2]) * 60 + Number(o[3])) * 60_000;
  return new Date(local - shift).toISOString();
}

function dimension(value: unknown): number | null {
  return typeof value === "number" && Number.isInteger(value) && value > 0 && value <= 0x7fffffff ? value : null;
}

function orientation(value: unknown): number | null {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 8 ? value : null;
}

/** A camera name: printable characters only, trimmed, at most 200 of them; null when nothing is left. */
function text(value: unknown): string | null {
  if (typeof value !== "string") return null;
  // deno-lint-ignore no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, 200);
  return clean === "" ? null : clean;
}

/** PNG, GIF, BMP and WebP state their size within their first 30 bytes, and carry no EXIF read here. */
const HEADER_ONLY_BYTES = 64;

/**
 * Sees a photo's chunks as they stream to Storage and keeps what its metadata needs from the first
 * METADATA_PREFIX_BYTES: for a JPEG only its EXIF segment and frame header (jpeg-head.ts), for a HEIC,
 * HEIF or AVIF the prefix itself, for other formats their first HEADER_ONLY_BYTES. It is parsed as soon
 * as that has passed, so the chunks are let go early, and the result waits in read() for the photo to
 * be stored.
 */
export class MetadataTap {
  #chunks: Uint8Array[] = [];
  #length = 0;
  /** Bytes of the photo seen so far, kept or not. */
  #seen = 0;
  #parsed: Promise<PhotoMetadata> | null = null;
  readonly #jpeg: JpegHead | null;
  /** A HEIC's Exif item beyond the prefix, collected as it passes (late-exif-item.ts). */
  #late: LateExifItem | null = null;

  readonly #limit: number;

  constructor(private readonly contentType: string) {
    this.#jpeg = contentType === "image/jpeg" ? new JpegHead() : null;
    this.#limit = EXIF_FORMATS.has(contentType) ? METADATA_PREFIX_BYTES : HEADER_ONLY_BYTES;
  }

  add(chunk: Uint8Array): void {
    const start = this.#seen;
    this.#seen += chunk.length;
    if (!this.#parsed) {
      const room = this.#limit - this.#length;
      const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
      this.#length += kept.length;
      if (this.#jpeg) {
        if (this.#jpeg.add(kept) || this.#length >= this.#limit) this.#parse();
      } else {
        this.#chunks.push(kept);
        if (this.#length >= this.#limit) this.#parse();
      }
    }
    this.#late?.add(chunk, start);
  }

  /**
   * The photo's metadata once it has streamed: EXIF from the prefix, else the zip entry's modification
   * time (read from its local header at `localHeaderOffset`). Never rejects.
   */
  async read(file: RandomAccess, localHeaderOffset: number): Promise<PhotoMetadata> {
    let found = await (this.#parsed ?? this.#parse());
    const late = this.#late?.complete ? this.#late.asJpeg() : null;
    if (late) found = withTags(found, await exifTags(late));
    if (found.taken_at) return found;
    const modified = await archiveModifiedAt(file, localHeaderOffset);
    return modified ? { ...found, taken_at: modified, taken_at_source: "archive" } : found;
  }

  #parse(): Promise<PhotoMetadata> {
    const prefix = this.#jpeg ? this.#jpeg.bytes() : concatBytes(this.#chunks, this.#length);
    this.#chunks = [];
    const exif = bmffLayoutIfAny(prefix, this.contentType)?.exif;
    if (exif && exif.offset + exif.length > prefix.length && exif.length <= MAX_EXIF_ITEM_BYTES) {
      this.#late = new LateExifItem(exif.offset, exif.length);
    }
    this.#parsed = readPhotoMetadata(prefix, this.contentType).catch(() => ({ ...NO_METADATA }));
    return this.#parsed;
  }
}
