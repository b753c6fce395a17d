import type { IncomingMessage } from "node:http";
import { header } from "../shared/request-auth.ts";
import type { BodySource } from "./body-source.ts";
import { ERRORS } from "./errors.ts";
import { MAX_USER_METADATA_BYTES, mustBeAllowedMimeType } from "./limits.ts";
import { boundaryOf, MultipartError, MultipartReader } from "./multipart.ts";

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
  const boundary = boundaryOf(contentType);
  if (!boundary) throw ERRORS.noContent();
  const reader = new MultipartReader(source, boundary);
  const fields: Record<string, string> = {};
  let metadataTooLarge = false;
  try {
    for (let part = await reader.nextPart(); part; part = await reader.nextPart()) {
      // The object is the first file part; storage-js sends it under the empty field name "" (docs/supabase-behaviour.md#uploads).
      if (part.filename !== undefined || part.name === "") {
        const mimeType = fields.contentType || part.contentType || "text/plain"; // busboy's default part type
        mustBeAllowedMimeType(mimeType, rules.allowedMimeTypes, rules.objectName);
        if (metadataTooLarge) throw ERRORS.entityTooLarge("user_metadata");
        const custom = fields.metadata ?? fields.userMetadata;
        return {
          chunks: reader.body(),
          mimeType,
          cacheControl: fields.cacheControl ? `max-age=${fields.cacheControl}` : "no-cache",
          userMetadata: custom !== undefined ? parseJson(custom) : undefined,
          declaredLength,
        };
      }
      if (Object.keys(fields).length >= 10) throw ERRORS.noContent(); // fastify-multipart's fields limit
      const value = await reader.text(MAX_USER_METADATA_BYTES);
      if (value === null) metadataTooLarge = true;
      else fields[part.name] = value;
    }
  } catch (error) {
    if (error instanceof MultipartError) throw ERRORS.noContent();
    throw error;
  }
  throw ERRORS.noContent();
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
