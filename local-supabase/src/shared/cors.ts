import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * CORS for the browser app (docs/supabase-behaviour.md#headers-and-cors): supabase-js' own allow-list plus the headers storage,
 * PostgREST and auth-js send, and the response headers the clients must be able to read.
 */
const ALLOWED_HEADERS = [
  "authorization", "x-client-info", "apikey", "content-type", "x-retry-count", "x-upsert", "cache-control",
  "x-metadata", "prefer", "range", "accept-profile", "content-profile", "x-supabase-api-version", "x-region",
  "tus-resumable", "upload-length", "upload-metadata", "upload-offset", "upload-expires", "x-signature",
  "if-none-match", "if-modified-since",
].join(", ");
const EXPOSED_HEADERS = [
  "content-range", "x-supabase-api-version", "x-sb-error-code", "content-length", "content-type", "etag",
  "last-modified", "location", "upload-offset", "upload-length", "tus-resumable", "preference-applied",
  "proxy-status", "x-relay-error",
].join(", ");
const ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

export function applyCors(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader("Access-Control-Allow-Origin", req.headers.origin ?? "*");
  res.setHeader("Vary", "Origin");
  res.setHeader("Access-Control-Allow-Credentials", "true");
  res.setHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
}

/** Answers a preflight. Functions answer their own preflight, so the functions service skips this. */
export function answerPreflight(req: IncomingMessage, res: ServerResponse): void {
  applyCors(req, res);
  res.setHeader("Access-Control-Allow-Methods", ALLOWED_METHODS);
  res.setHeader("Access-Control-Allow-Headers", req.headers["access-control-request-headers"] ?? ALLOWED_HEADERS);
  res.setHeader("Access-Control-Max-Age", "86400");
  res.writeHead(204).end();
}
