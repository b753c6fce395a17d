import type { Tx } from "../../db/database.ts";
import type { PlatformContext } from "../../service-contract.ts";
import type { FileBackend } from "../file-backend.ts";
import { superuserStatement, type Scope } from "../caller.ts";
import { ERRORS } from "../errors.ts";
import { isUuid, mustBeValidKey } from "../limits.ts";

/** What every storage operation needs: the platform (db, config) and where bytes live. */
export interface StorageContext {
  platform: PlatformContext;
  backend: FileBackend;
}

export interface BucketRow {
  id: string;
  name: string;
  public: boolean;
  file_size_limit: number | null;
  allowed_mime_types: string[] | null;
}

/** `metadata` as storage-api's file backend reports it (docs/supabase-behaviour.md#uploads). */
export interface ObjectMetadata {
  eTag: string;
  size: number;
  mimetype: string;
  cacheControl: string;
  lastModified: string;
  contentLength: number;
  httpStatusCode: number;
}

export interface ObjectRow {
  id: string;
  name: string;
  bucket_id: string;
  owner: string | null;
  owner_id: string | null;
  version: string | null;
  metadata: ObjectMetadata | null;
  user_metadata: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  last_accessed_at: Date | null;
}

/** Row columns in the order storage-api returns them from `remove` (docs/supabase-behaviour.md#remove-move-and-copy); path_tokens is left out. */
export const OBJECT_COLUMNS =
  "name, bucket_id, owner, owner_id, version, id, updated_at, created_at, last_accessed_at, metadata, user_metadata";

/**
 * Bucket columns as storage-api selects and serialises them, in its response schema's order: `getBucket`
 * leaves out `owner_id` and `type`, the list leaves out `owner_id`.
 */
export const BUCKET_COLUMNS = {
  get: "id, name, coalesce(owner::text, '') as owner, public, file_size_limit, allowed_mime_types, created_at, updated_at",
  list: "id, name, coalesce(owner::text, '') as owner, public, type, file_size_limit, allowed_mime_types, created_at, updated_at",
};

/** Buckets are looked up as superuser for uploads and downloads, as storage-api does (docs/supabase-behaviour.md#storage-authorisation). */
export async function findBucketAsSuperuser(scope: Scope, bucketId: string): Promise<BucketRow> {
  const bucket = await findBucketOrNull(scope, bucketId);
  if (!bucket) throw ERRORS.noSuchBucket();
  return bucket;
}

export async function findBucketOrNull(scope: Scope, bucketId: string): Promise<BucketRow | null> {
  const result = await superuserStatement<BucketRow>(
    scope,
    "select id, name, public, file_size_limit, allowed_mime_types from storage.buckets where id = $1",
    [bucketId],
  );
  return result.rows[0] ?? null;
}

/** Reads one object row in the given transaction (caller or superuser); hidden and missing look alike. */
export async function findObject(tx: Tx, bucketId: string, name: string): Promise<ObjectRow> {
  mustBeValidKey(name);
  const result = await tx.query<ObjectRow>(`select ${OBJECT_COLUMNS} from storage.objects where bucket_id = $1 and name = $2`, [bucketId, name]);
  if (!result.rows[0]) throw ERRORS.noSuchKey();
  return result.rows[0];
}

/**
 * An object row as storage-api's response schema writes it (remove, copy): its serialiser turns a null
 * string column into "" and absent user metadata into {}.
 */
export function objectRowBody(row: ObjectRow) {
  return {
    ...row,
    owner: row.owner ?? "",
    owner_id: row.owner_id ?? "",
    version: row.version ?? "",
    user_metadata: row.user_metadata ?? {},
  };
}

export function ownerColumns(owner: string | undefined): { owner: string | null; ownerId: string | null } {
  return { owner: isUuid(owner) ? owner! : null, ownerId: owner ?? null };
}
