import type { IncomingMessage, ServerResponse } from "node:http";
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import sharp, { type Metadata, type Sharp } from "sharp";
import { header } from "../shared/request-auth.ts";
import { ERRORS, StorageError } from "./errors.ts";
import type { FileBackend } from "./file-backend.ts";
import type { ImageCache } from "./image-cache.ts";
import { HeifDecodeError, HeifDecoder } from "./heif-decoder.ts";
import { HEIF_HEAD_BYTES, isHevcHeif } from "./heif-source.ts";
import { SIZE_LIMITS, transformationHeader, type TransformOptions } from "./transform-options.ts";
import type { ObjectRow } from "./domain/rows.ts";

/**
 * What hosted Storage's image service refuses to read (docs/supabase-behaviour.md#image-transformations):
 * sources over 25 MB or over 50 megapixels, each with its own 400.
 */
export const SOURCE_LIMITS = { bytes: 25 * 1024 * 1024, pixels: 50_000_000 };

/** imgproxy's default quality when the request names none. */
const DEFAULT_QUALITY = 80;

const unprocessable = (message: string) => new StorageError("InvalidRequest", 400, message);
const TOO_MANY_BYTES = () => unprocessable("The source image file is too large to process");
const TOO_MANY_PIXELS = () => unprocessable("The source image resolution is too large to process");
const UNSUPPORTED = () => unprocessable("The source image is invalid or unsupported for rendering");

type OutputFormat = "webp" | "avif" | "jpeg" | "png" | "gif";
const CONTENT_TYPES: Record<OutputFormat, string> = { webp: "image/webp", avif: "image/avif", jpeg: "image/jpeg", png: "image/png", gif: "image/gif" };
const FROM_MIMETYPE: Record<string, OutputFormat> = { "image/jpeg": "jpeg", "image/jpg": "jpeg", "image/png": "png", "image/webp": "webp", "image/gif": "gif", "image/avif": "avif" };

/**
 * The format sent back: the one asked for; the original's for `origin`; otherwise WebP when the
 * request's `Accept` allows it, as hosted Storage converts automatically, else the original's.
 */
function outputFormat(options: TransformOptions, mimetype: string, accept: string | undefined): OutputFormat {
  if (options.format === "webp" || options.format === "avif") return options.format;
  if (options.format !== "origin" && accept?.includes("image/webp")) return "webp";
  return FROM_MIMETYPE[mimetype.split(";")[0].trim().toLowerCase()] ?? "jpeg";
}

export interface RenditionRequest {
  row: ObjectRow;
  options: TransformOptions;
  /** `?download` as for originals; null when absent. */
  download: string | null;
  /** Signed URLs send `Expires` (token expiry) instead of Cache-Control. */
  expires?: Date;
}

/** Renders (or finds cached) a resized copy of an object and sends it with storage-api's rendition headers. */
export async function renderImage(req: IncomingMessage, res: ServerResponse, backend: FileBackend, cache: ImageCache, request: RenditionRequest): Promise<void> {
  const { row, options } = request;
  const size = row.version ? await backend.size(row.bucket_id, row.version) : null;
  if (size === null) throw ERRORS.noSuchFile();
  if (size > SOURCE_LIMITS.bytes) throw TOO_MANY_BYTES();
  const metadata = row.metadata;
  const format = outputFormat(options, metadata?.mimetype ?? "", header(req, "accept"));
  const transformations = transformationHeader(options);
  const rendition = await cache.get(row.bucket_id, row.version!, [transformations, format], () => resize(backend.path(row.bucket_id, row.version!), options, format));

  const headers: Record<string, string> = {
    "Accept-Ranges": "bytes",
    "Content-Type": CONTENT_TYPES[format],
    "Content-Length": String(rendition.size),
    ETag: metadata?.eTag ?? "",
    "X-Robots-Tag": "none",
  };
  const lastModified = new Date(metadata?.lastModified ?? row.updated_at);
  if (!Number.isNaN(lastModified.getTime())) headers["Last-Modified"] = lastModified.toUTCString();
  if (request.expires) headers.Expires = request.expires.toUTCString();
  else if (metadata?.cacheControl) headers["Cache-Control"] = metadata.cacheControl;
  if (transformations) headers["X-Transformations"] = transformations;
  if (request.download !== null) {
    const name = encodeURIComponent(request.download);
    headers["Content-Disposition"] = request.download === "" ? "attachment;" : `attachment; filename=${name}; filename*=UTF-8''${name}`;
  }
  res.writeHead(200, headers);
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  await pipeline(createReadStream(rendition.path), res);
}

/** One per process: HEIF decoding is bounded by the machine's cores, not by how many platforms run. */
const heifDecoder = new HeifDecoder();

async function readHead(path: string): Promise<Uint8Array> {
  const file = await open(path, "r");
  try {
    const head = new Uint8Array(HEIF_HEAD_BYTES);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/**
 * The source as sharp input. HEVC-coded HEIF (iPhone HEIC), which sharp's prebuilt libvips cannot decode,
 * is decoded by libheif to raw RGBA with its irot/imir already applied; its limits and failures answer
 * as any other source's (docs/supabase-behaviour.md#heic-sources).
 */
async function openSource(path: string): Promise<{ image: Sharp; oriented: boolean }> {
  if (isHevcHeif(await readHead(path))) {
    try {
      const { width, height, hasAlpha, rgba } = await heifDecoder.decode(path, SOURCE_LIMITS.pixels);
      const image = sharp(rgba, { raw: { width, height, channels: 4 } });
      return { image: hasAlpha ? image : image.removeAlpha(), oriented: true };
    } catch (error) {
      if (error instanceof HeifDecodeError && error.reason === "tooManyPixels") throw TOO_MANY_PIXELS();
      throw UNSUPPORTED();
    }
  }
  let info: Metadata;
  try {
    info = await sharp(path).metadata();
  } catch {
    throw UNSUPPORTED();
  }
  if (!info.width || !info.height) throw UNSUPPORTED();
  if (info.width * info.height > SOURCE_LIMITS.pixels) throw TOO_MANY_PIXELS();
  return { image: sharp(path, { limitInputPixels: false, animated: false }), oriented: false };
}

/**
 * One rendition with sharp: EXIF orientation applied first, never enlarged (imgproxy's default),
 * cover crops to the box, contain fits inside it, fill stretches to it.
 */
async function resize(path: string, options: TransformOptions, format: OutputFormat): Promise<Buffer> {
  const source = await openSource(path);
  const clamp = (value: number | undefined) => (value ? Math.min(Math.max(value, SIZE_LIMITS.min), SIZE_LIMITS.max) : undefined);
  const fit = ({ cover: "cover", contain: "inside", fill: "fill" } as const)[options.resize ?? "cover"];
  const quality = options.quality ?? DEFAULT_QUALITY;
  try {
    let image = source.oriented ? source.image : source.image.rotate();
    const width = clamp(options.width);
    const height = clamp(options.height);
    if (width || height) image = image.resize({ width, height, fit, withoutEnlargement: true });
    switch (format) {
      case "webp": return await image.webp({ quality }).toBuffer();
      case "avif": return await image.avif({ quality }).toBuffer();
      case "png": return await image.png().toBuffer();
      case "gif": return await image.gif().toBuffer();
      default: return await image.jpeg({ quality }).toBuffer();
    }
  } catch {
    throw UNSUPPORTED();
  }
}
