import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Tx } from "../../db/database.ts";
import { asSuperuser, testPermission, type Scope } from "../caller.ts";
import { ERRORS, StorageError } from "../errors.ts";
import type { StoredFile } from "../file-backend.ts";
import { effectiveSizeLimit, mustBeWritableKey } from "../limits.ts";
import { readUploadHead } from "../upload-body.ts";
import type { BodySource } from "../body-source.ts";
import { findBucketAsSuperuser, ownerColumns, type ObjectMetadata, type StorageContext } from "./rows.ts";

export interface UploadTarget {
  bucketId: string;
  objectName: string;
  upsert: boolean;
  /** JWT `sub` of the caller, or of the signed upload token. */
  owner: string | undefined;
}

/**
 * A standard upload, in storage-api's order (docs/supabase-behaviour.md#storage-authorisation, #uploads): bucket (as superuser) → body head
 * (mime, declared size) → key → permission test as the caller, rolled back → bytes to a temp file with
 * no transaction open → rename into place → the row, written as superuser. A failure at any step
 * leaves neither a file nor a row.
 */
export async function uploadObject(ctx: StorageContext, scope: Scope, req: IncomingMessage, source: BodySource, target: UploadTarget) {
  const bucket = await findBucketAsSuperuser(scope, target.bucketId);
  const maxSize = effectiveSizeLimit(target.objectName, bucket.file_size_limit, ctx.platform.config.storage.fileSizeLimit);
  const upload = await readUploadHead(req, source, { objectName: target.objectName, maxSize, allowedMimeTypes: bucket.allowed_mime_types });
  await canUpload(scope, target, { mimetype: upload.mimeType, contentLength: upload.declaredLength }, upload.userMetadata);

  const stored = await ctx.backend.write(upload.chunks, maxSize);
  const metadata: ObjectMetadata = {
    eTag: stored.eTag,
    size: stored.size,
    mimetype: upload.mimeType,
    cacheControl: upload.cacheControl,
    lastModified: new Date().toISOString(),
    contentLength: stored.size,
    httpStatusCode: 200,
  };
  const id = await commitObject(ctx, scope, target, stored, metadata, upload.userMetadata);
  return { Id: id, Key: `${target.bucketId}/${target.objectName}` };
}

/**
 * "May this key be written, and could the caller write this row?" — the key check every write shares
 * (upload, copy, signed upload URL), then INSERT for a create; INSERT … ON CONFLICT DO UPDATE … RETURNING
 * for an upsert, which needs INSERT, UPDATE and SELECT policies (docs/supabase-behaviour.md#storage-authorisation). Always rolled back.
 */
export async function canUpload(scope: Scope, target: UploadTarget, metadata: Record<string, unknown>, userMetadata: Record<string, unknown> | undefined): Promise<void> {
  mustBeWritableKey(target.objectName);
  // service_role bypasses RLS and holds every privilege on storage.objects (as hosted), and an upsert
  // cannot meet a duplicate: that test cannot fail, and it is half of an upload's database work.
  if (target.upsert && scope.caller.role === "service_role") return;
  const { owner, ownerId } = ownerColumns(target.owner);
  const values = [target.bucketId, target.objectName, owner, ownerId, metadata, userMetadata ?? null];
  const insert = `insert into storage.objects (bucket_id, name, owner, owner_id, version, metadata, user_metadata)
    values ($1, $2, $3, $4, '1', $5, $6)`;
  try {
    await testPermission(scope, (tx) =>
      target.upsert
        ? tx.query(`${insert} on conflict (name, bucket_id) do update set metadata = excluded.metadata,
            user_metadata = excluded.user_metadata, version = excluded.version, owner = excluded.owner,
            owner_id = excluded.owner_id returning *`, values)
        : tx.query(insert, values),
    );
  } catch (error) {
    if (error instanceof StorageError && error.code === "ResourceAlreadyExists") throw ERRORS.keyAlreadyExists();
    throw error;
  }
}

/** Moves the temp file to its version path and writes the row; on failure removes the file again. */
export async function commitObject(ctx: StorageContext, scope: Scope, target: UploadTarget, stored: StoredFile, metadata: ObjectMetadata, userMetadata: Record<string, unknown> | undefined): Promise<string> {
  const version = randomUUID();
  try {
    await ctx.backend.commit(stored.tmpPath, target.bucketId, version);
  } catch (error) {
    await ctx.backend.discard(stored.tmpPath);
    throw error;
  }
  try {
    const { id, previous } = await asSuperuser(scope, (tx) => writeRow(tx, target, version, metadata, userMetadata));
    if (previous) await ctx.backend.remove(target.bucketId, previous);
    return id;
  } catch (error) {
    await ctx.backend.remove(target.bucketId, version);
    throw error;
  }
}

/**
 * The final row, in one statement (each statement is several PGlite round trips). A create that lost a
 * race to another create of the same key gets the duplicate error, not an overwrite. An upsert also
 * returns the version it replaced, read in the same snapshot (a CTE cannot see the statement's own
 * write), so that version's file can be removed.
 */
async function writeRow(tx: Tx, target: UploadTarget, version: string, metadata: ObjectMetadata, userMetadata: Record<string, unknown> | undefined) {
  const { owner, ownerId } = ownerColumns(target.owner);
  const values = [target.bucketId, target.objectName, owner, ownerId, version, metadata, userMetadata ?? null];
  const insert = `insert into storage.objects (bucket_id, name, owner, owner_id, version, metadata, user_metadata)
     values ($1, $2, $3, $4, $5, $6, $7)`;
  if (!target.upsert) {
    const row = await tx.query<{ id: string }>(`${insert} on conflict (name, bucket_id) do nothing returning id`, values);
    if (!row.rows[0]) throw ERRORS.keyAlreadyExists();
    return { id: row.rows[0].id, previous: null };
  }
  const row = await tx.query<{ id: string; previous: string | null }>(
    `with current as (select version from storage.objects where bucket_id = $1 and name = $2)
     ${insert}
     on conflict (name, bucket_id) do update set owner = excluded.owner, owner_id = excluded.owner_id,
       version = excluded.version, metadata = excluded.metadata, user_metadata = excluded.user_metadata
     returning id, (select version from current) as previous`,
    values,
  );
  return { id: row.rows[0].id, previous: row.rows[0].previous };
}
