import { ERRORS } from "./errors.ts";

// Hyphen last so it stays a literal. Same sets as storage-api (docs/supabase-behaviour.md#buckets, #uploads).
const VALID_OBJECT_KEY = /^[A-Za-z0-9_/!.*'() &$=@;:+,?-]*$/;
const VALID_BUCKET_NAME = /^[A-Za-z0-9_!.*'() &$=@;:+,?-]*$/;

export const MAX_OBJECTS_PER_REQUEST = 1000;
export const MAX_LIST_LIMIT = 1500;
/** `list-v2` pages hold at most this many entries, and this many when no limit is given. */
export const MAX_LIST_V2_LIMIT = 1000;
export const MAX_USER_METADATA_BYTES = 1024 * 1024;

export function mustBeValidKey(key: string | undefined): asserts key is string {
  if (!key || !VALID_OBJECT_KEY.test(key)) throw ERRORS.invalidKey(key ?? "");
}

/**
 * A key a write may create (upload, copy, move, signed upload URL): the charset check, and no `.` or
 * `..` segment — storage-api refuses those, so no stored key can name a parent folder
 * (docs/supabase-behaviour.md#uploads).
 */
export function mustBeWritableKey(key: string | undefined): asserts key is string {
  mustBeValidKey(key);
  if (key.split("/").some((segment) => segment === "." || segment === "..")) throw ERRORS.invalidKey(key, "contains dot path segment");
}

export function mustBeValidBucketName(name: string | undefined): asserts name is string {
  if (!name || name.length > 100 || !VALID_BUCKET_NAME.test(name) || name.trim() !== name) throw ERRORS.invalidBucketName();
}

/** `file_size_limit` as storage-js may send it: a number, or "<n>(GB|MB|KB|B)" in decimal units (docs/supabase-behaviour.md#buckets). */
export function parseBucketSizeLimit(value: unknown): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) throw ERRORS.invalidFileSizeLimit();
    return Math.floor(value);
  }
  const match = /^([0-9]+(?:\.[0-9]+)?)(gb|mb|kb|b)$/i.exec(String(value));
  if (!match) throw ERRORS.invalidFileSizeLimit();
  const units: Record<string, number> = { gb: 1e9, mb: 1e6, kb: 1e3, b: 1 };
  return Math.round(Number(Number.parseFloat(match[1]).toPrecision(3)) * units[match[2].toLowerCase()]);
}

/** min(bucket limit, project limit); `.emptyFolderPlaceholder` objects may hold nothing (docs/supabase-behaviour.md#uploads). */
export function effectiveSizeLimit(objectName: string, bucketLimit: number | null, globalLimit: number): number {
  if (isEmptyFolderPlaceholder(objectName)) return 0;
  return typeof bucketLimit === "number" ? Math.min(bucketLimit, globalLimit) : globalLimit;
}

export function isEmptyFolderPlaceholder(objectName: string): boolean {
  return objectName.endsWith(".emptyFolderPlaceholder");
}

/**
 * The raw mimetype split on `/`: `type/*` or an exact `type/subtype`. Parameters are not stripped, so
 * `text/plain;charset=UTF-8` does not match `text/plain` — hosted behaves the same (docs/supabase-behaviour.md#buckets).
 */
export function mustBeAllowedMimeType(mimeType: string, allowed: string[] | null, objectName: string): void {
  if (!allowed || allowed.length === 0 || isEmptyFolderPlaceholder(objectName)) return;
  const [type, subtype, ...rest] = mimeType.split("/");
  if (subtype === undefined) throw ERRORS.invalidMimeType(mimeType);
  const requested = [type, subtype, ...rest];
  for (const entry of allowed) {
    const [allowedType, allowedSubtype] = entry.split("/");
    if (allowedType === requested[0] && (allowedSubtype === "*" || allowedSubtype === requested[1])) return;
  }
  throw ERRORS.invalidMimeType(mimeType);
}

export function isUuid(value: string | undefined): boolean {
  return !!value && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-5][0-9a-f]{3}-[089ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(value);
}
