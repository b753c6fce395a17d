import { asCaller, asSuperuser, type Scope } from "../caller.ts";
import { ERRORS } from "../errors.ts";
import { findBucketOrNull, findObject, type ObjectRow } from "./rows.ts";

/** How a read route authorises (docs/supabase-behaviour.md#downloads-and-info). */
export type ReadMode = "authenticated" | "optional" | "public";

/**
 * Finds the object a GET/HEAD/info names. The bucket is read as superuser; a public bucket's row too
 * (no RLS), a private bucket's row as the caller. Without a valid JWT a private bucket is "not found".
 */
export async function locateForRead(scope: Scope, bucketId: string, name: string, mode: ReadMode): Promise<ObjectRow> {
  const bucket = await findBucketOrNull(scope, bucketId);
  if (mode === "public") {
    if (!bucket?.public) throw ERRORS.noSuchBucket();
  } else if (!scope.caller.isAuthenticated && !bucket?.public) {
    throw ERRORS.noSuchBucket();
  }
  if (!bucket) throw ERRORS.noSuchBucket();
  return bucket.public
    ? asSuperuser(scope, (tx) => findObject(tx, bucketId, name))
    : asCaller(scope, (tx) => findObject(tx, bucketId, name));
}

/** `GET /object/info/...` body; storage-js camel-cases it (docs/supabase-behaviour.md#downloads-and-info). */
export function infoBody(row: ObjectRow) {
  const metadata = row.metadata;
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    bucket_id: row.bucket_id,
    size: metadata?.size ?? null,
    content_type: metadata?.mimetype ?? null,
    cache_control: metadata?.cacheControl ?? null,
    etag: metadata?.eTag ?? null,
    // Absent user metadata is {}, as storage-api's serialiser writes it.
    metadata: row.user_metadata ?? {},
    last_modified: row.updated_at,
    created_at: row.created_at,
  };
}
