import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { header } from "../shared/request-auth.ts";
import { ERRORS } from "./errors.ts";
import type { FileBackend } from "./file-backend.ts";
import type { ObjectRow } from "./domain/rows.ts";

export interface RenderOptions {
  /** `?download` (empty string) or `?download=<name>`; null when absent. */
  download: string | null;
  /** Signed URLs send `Expires` (token expiry) instead of Cache-Control (docs/supabase-behaviour.md#downloads-and-info, #signed-urls). */
  expires?: Date;
  head: boolean;
}

/**
 * Sends an object's bytes as storage-api's asset renderer does (docs/supabase-behaviour.md#downloads-and-info): conditional 304s,
 * single byte ranges (206/416), and the body streamed from disk — never held in memory.
 */
export async function renderObject(req: IncomingMessage, res: ServerResponse, backend: FileBackend, row: ObjectRow, options: RenderOptions): Promise<void> {
  const size = row.version ? await backend.size(row.bucket_id, row.version) : null;
  if (size === null) throw ERRORS.noSuchFile();
  const metadata = row.metadata;
  const eTag = metadata?.eTag ?? "";
  const lastModified = new Date(metadata?.lastModified ?? row.updated_at);

  const headers: Record<string, string> = {
    "Accept-Ranges": "bytes",
    "Content-Type": normalizeContentType(metadata?.mimetype ?? "application/octet-stream"),
    ETag: eTag,
    "X-Robots-Tag": "none",
  };
  if (!Number.isNaN(lastModified.getTime())) headers["Last-Modified"] = lastModified.toUTCString();
  if (options.expires) headers.Expires = options.expires.toUTCString();
  else {
    const cacheControl = [metadata?.cacheControl];
    const ifNoneMatch = header(req, "if-none-match");
    if (ifNoneMatch && ifNoneMatch !== eTag) cacheControl.push("stale-while-revalidate=30");
    const value = cacheControl.filter((v) => v).join(", ");
    if (value) headers["Cache-Control"] = value;
  }
  if (options.download !== null) {
    const name = encodeURIComponent(options.download);
    headers["Content-Disposition"] = options.download === "" ? "attachment;" : `attachment; filename=${name}; filename*=UTF-8''${name}`;
  }

  if (notModified(req, eTag, lastModified)) {
    res.writeHead(304, headers).end();
    return;
  }
  const range = parseRange(header(req, "range"), size);
  // storage-api answers an unsatisfiable range with its JSON error and no Content-Range header.
  if (range === "invalid") throw ERRORS.invalidRange();
  if (range) {
    headers["Content-Range"] = `bytes ${range.start}-${range.end}/${size}`;
    headers["Content-Length"] = String(range.end - range.start + 1);
  } else headers["Content-Length"] = String(size);

  res.writeHead(range ? 206 : 200, headers);
  if (options.head || size === 0) {
    res.end();
    return;
  }
  await pipeline(backend.read(row.bucket_id, row.version!, range ?? undefined), res);
}

function notModified(req: IncomingMessage, eTag: string, lastModified: Date): boolean {
  const ifNoneMatch = header(req, "if-none-match");
  if (ifNoneMatch) {
    const tags = ifNoneMatch.split(",").map((tag) => tag.trim().replace(/^W\//, ""));
    return tags.includes("*") || tags.includes(eTag);
  }
  const since = Date.parse(header(req, "if-modified-since") ?? "");
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

/** One `bytes=` range; multiple ranges are answered with the whole object. */
function parseRange(value: string | undefined, size: number): { start: number; end: number } | "invalid" | null {
  if (!value) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!match || (match[1] === "" && match[2] === "")) return value.includes(",") ? null : "invalid";
  let start: number;
  let end: number;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0) return "invalid";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) return "invalid";
  return { start, end };
}

/** storage-api never serves text/html as such (docs/supabase-behaviour.md#downloads-and-info). */
function normalizeContentType(contentType: string): string {
  return contentType.includes("text/html") ? "text/plain" : contentType;
}
