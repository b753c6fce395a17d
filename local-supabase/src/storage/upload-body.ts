import type { IncomingMessage } from "node:http";
import { header } from "../shared/request-auth.ts";
import type { BodySource } from "./body-source.ts";
import { ERRORS } from "./errors.ts";
import { MAX_USER_METADATA_BYTES, mustBeAllowedMimeType } from "./limits.ts";
import { MultipartError, readMultipartHead as readForm } from "./multipart-form.ts";

/** An upload's bytes (not yet read) and what the request says about them (docs/supabase-behaviour.md#uploads). */
export interface FileUpload {
  chunks: AsyncIterable<Buffer>;
  mimeType: string;
  cacheControl: string;
  userMetadata: Record<string, unknown> | undefined;
  /** Content-Length as declared by the request; what an INSERT policy sees as `metadata.contentLength`. */
  declaredLength: number | undefined;
}

export interface UploadRules {
  objectName: string;
  maxSize: number;
  allowedMimeTypes: string[] | null;
}

/**
 * Reads everything up to the first byte of the object: multipart fields (cacheControl, metadata,
 * contentType — they must precede the file part, as with fastify-multipart) or the raw-body headers.
 * The mime type and a declared oversize are refused here, before anything is written.
 */
export async function readUploadHead(req: IncomingMessage, source: BodySource, rules: UploadRules): Promise<FileUpload> {
  const contentType = header(req, "content-type");
  const declaredLength = contentLength(req);
  if (contentType?.toLowerCase().startsWith("multipart/form-data")) return readMultipartHead(source, contentType, declaredLength, rules);

  const mimeType = contentType || "application/octet-stream";
  mustBeAllowedMimeType(mimeType, rules.allowedMimeTypes, rules.objectName);
  const metadataHeader = header(req, "x-metadata");
  if (declaredLength !== undefined && declaredLength > rules.maxSize) throw ERRORS.entityTooLarge();
  return {
    chunks: source.chunks(),
    mimeType,
    cacheControl: header(req, "cache-control") ?? "no-cache",
    userMetadata: metadataHeader ? parseBase64Json(metadataHeader) : undefined,
    declaredLength,
  };
}

async function readMultipartHead(source: BodySource, contentType: string, declaredLength: number | undefined, rules: UploadRules): Promise<FileUpload> {
  let head;
  try {
    // busboy, as under storage-api's @fastify/multipart, with its limit of 10 fields.
    head = await readForm(source, contentType, { fields: 10, fieldSize: MAX_USER_METADATA_BYTES });
  } catch (error) {
    if (error instanceof MultipartError) throw ERRORS.noContent();
    throw error;
  }
  // The object is the first file part; storage-js sends it under the empty field name "" (docs/supabase-behaviour.md#uploads).
  const { fields, file } = head;
  if (!file) throw ERRORS.noContent();
  const mimeType = fields.contentType || file.mimeType;
  mustBeAllowedMimeType(mimeType, rules.allowedMimeTypes, rules.objectName);
  if (head.oversizedFields.length > 0) throw ERRORS.entityTooLarge("user_metadata");
  const custom = fields.metadata ?? fields.userMetadata;
  return {
    chunks: file.chunks,
    mimeType,
    cacheControl: fields.cacheControl ? `max-age=${fields.cacheControl}` : "no-cache",
    userMetadata: custom !== undefined ? parseJson(custom) : undefined,
    declaredLength,
  };
}

function contentLength(req: IncomingMessage): number | undefined {
  const value = Number(header(req, "content-length"));
  return header(req, "content-length") !== undefined && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined; // storage-api ignores unreadable metadata
  }
}

function parseBase64Json(value: string): Record<string, unknown> | undefined {
  return parseJson(Buffer.from(value, "base64").toString("utf8"));
}
