import type { ServerResponse } from "node:http";

/**
 * Storage's one error vocabulary (docs/supabase-behaviour.md#storage-errors, modelled on storage-api's codes table). Every failure
 * a route can meet is one of these; `renderError` is the single place that turns it into HTTP.
 */
export type ErrorCode =
  | "NoSuchBucket" | "NoSuchKey" | "InvalidJWT" | "InvalidRequest" | "EntityTooLarge" | "InternalError"
  | "ResourceAlreadyExists" | "ResourceNotEmpty" | "InvalidBucketName" | "InvalidKey" | "InvalidRange"
  | "InvalidMimeType" | "KeyAlreadyExists" | "BucketAlreadyExists" | "InvalidSignature"
  | "AccessDenied" | "DatabaseError" | "ResourceReferenced" | "InvalidParameter";

export class StorageError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** The "real" status, sent as the string `statusCode`; HTTP itself is 400 for every 4xx (docs/supabase-behaviour.md#storage-errors). */
    readonly statusCode: number,
    message: string,
    /** storage-api's legacy `error` string; defaults to the code. */
    readonly legacyError?: string,
    /** Set where storage-api sets the HTTP status explicitly (role enforcement 403, range 416). */
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = "StorageError";
  }
}

export const ERRORS = {
  noSuchBucket: () => new StorageError("NoSuchBucket", 404, "Bucket not found", "Bucket not found"),
  noSuchKey: () => new StorageError("NoSuchKey", 404, "Object not found", "not_found"),
  /** The row exists but its bytes are gone from the backend (storage-api's backend "not found"). */
  noSuchFile: () => new StorageError("NoSuchKey", 404, "The resource was not found", "Not found"),
  /** No route matches: a real HTTP 404, unlike every handled error. */
  routeNotFound: (method: string, url: string) => new StorageError("InvalidRequest", 404, `Route ${method}:${url} not found`, "Not Found", 404),
  keyAlreadyExists: () => new StorageError("KeyAlreadyExists", 409, "The resource already exists", "Duplicate"),
  bucketAlreadyExists: () => new StorageError("BucketAlreadyExists", 409, "The resource already exists", "Duplicate"),
  resourceAlreadyExists: () => new StorageError("ResourceAlreadyExists", 409, "The resource already exists", "Duplicate"),
  accessDenied: (message = "Access denied") => new StorageError("AccessDenied", 403, message, "Unauthorized"),
  /** Role enforcement (empty bucket) answers a real HTTP 403 (docs/supabase-behaviour.md#buckets). */
  roleDenied: (message: string) => new StorageError("AccessDenied", 403, message, "Unauthorized", 403),
  /** `reason` follows the key, as storage-api words it: "Invalid key: a/../b contains dot path segment". */
  invalidKey: (key: string, reason?: string) => new StorageError("InvalidKey", 400, `Invalid key: ${key}${reason ? ` ${reason}` : ""}`),
  invalidBucketName: () => new StorageError("InvalidBucketName", 400, "Bucket name invalid", "Invalid Input"),
  entityTooLarge: (entity = "object") =>
    new StorageError("EntityTooLarge", 413, `The ${entity} exceeded the maximum allowed size`, "Payload too large"),
  invalidMimeType: (mime: string) =>
    new StorageError("InvalidMimeType", 415, `mime type ${mime} is not supported`, "invalid_mime_type"),
  /** A body Fastify has no parser for, refused before the route runs. */
  invalidContentType: () => new StorageError("InvalidMimeType", 415, "Invalid Content-Type header", "invalid_mime_type"),
  bucketNotEmpty: () => new StorageError("ResourceNotEmpty", 409, "The bucket you tried to delete is not empty"),
  noContent: (message = "No content provided") => new StorageError("InvalidRequest", 400, message),
  invalidRequest: (message: string) => new StorageError("InvalidRequest", 400, message),
  /** A request that fails storage-api's route schema: Fastify names the error "Error". */
  validation: (message: string) => new StorageError("InvalidRequest", 400, message, "Error"),
  invalidParameter: (parameter: string) => new StorageError("InvalidParameter", 400, `Invalid Parameter ${parameter}`),
  invalidJwt: (message: string) => new StorageError("InvalidJWT", 400, message),
  invalidSignature: (message = "Invalid signature") => new StorageError("InvalidSignature", 400, message),
  invalidRange: () => new StorageError("InvalidRange", 416, "invalid range provided", "invalid_range", 416),
  invalidFileSizeLimit: () =>
    new StorageError("InvalidRequest", 400, "Invalid file size format, hint: use 20GB / 20MB / 30KB / 3B"),
  internal: (message = "Internal server error") => new StorageError("InternalError", 500, message),
};

interface PgError {
  code?: string;
  message: string;
  detail?: string;
}

/** Postgres errors as storage-api maps them (docs/supabase-behaviour.md#storage-errors): RLS → 403 AccessDenied, unique → 409. */
export function fromPgError(error: unknown): unknown {
  const pg = error as PgError;
  if (!pg || typeof pg.code !== "string" || !/^[0-9A-Z]{5}$/.test(pg.code)) return error;
  switch (pg.code) {
    case "42501":
      return ERRORS.accessDenied(pg.message.includes("row-level security") ? "new row violates row-level security policy" : pg.message);
    case "23505":
      return ERRORS.resourceAlreadyExists();
    case "23503":
      return pg.detail?.includes("is still referenced from table")
        ? new StorageError("ResourceReferenced", 409, "The resource could not be updated or removed due to a foreign key constraint")
        : new StorageError("InvalidRequest", 404, "The related resource does not exist");
    default:
      return new StorageError("DatabaseError", 500, `database error, code: ${pg.code}`);
  }
}

/** The one place errors become HTTP. Key order statusCode, error, message, code as storage-api serialises it. */
export function renderError(res: ServerResponse, error: unknown, log: (line: string) => void): void {
  const mapped = fromPgError(error);
  const storageError = mapped instanceof StorageError ? mapped : null;
  // A client that hangs up mid-upload is not a server fault; its request is simply dropped.
  const clientGone = (error as NodeJS.ErrnoException)?.code === "ECONNRESET";
  if (!storageError && !clientGone) log(`[storage] unexpected error: ${(error as Error)?.stack ?? error}`);
  const e = storageError ?? ERRORS.internal();
  const status = e.httpStatus ?? (e.statusCode >= 500 ? 500 : 400);
  const body = JSON.stringify({ statusCode: String(e.statusCode), error: e.legacyError ?? e.code, message: e.message, code: e.code });
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": String(Buffer.byteLength(body)) });
  res.end(body);
}
