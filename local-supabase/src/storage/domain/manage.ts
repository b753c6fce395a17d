import { randomUUID } from "node:crypto";
import { asCaller, asSuperuser, testPermission, type Scope } from "../caller.ts";
import { ERRORS } from "../errors.ts";
import { MAX_LIST_LIMIT, mustBeWritableKey } from "../limits.ts";
import { canUpload } from "./upload.ts";
import { findObject, OBJECT_COLUMNS, objectRowBody, ownerColumns, type ObjectRow, type StorageContext } from "./rows.ts";

export interface ListOptions {
  prefix: string;
  limit: number;
  offset: number;
  search: string;
  sortColumn: string;
  sortOrder: string;
}

/** One folder level, via `storage.search` run as the caller so RLS decides what is seen (docs/supabase-behaviour.md#listing). */
export async function listObjects(scope: Scope, bucketId: string, options: ListOptions) {
  // The prefix is always a folder (storage-api appends the slash).
  const prefix = options.prefix.length > 0 && !options.prefix.endsWith("/") ? `${options.prefix}/` : options.prefix;
  const limit = Math.min(options.limit, MAX_LIST_LIMIT);
  const result = await asCaller(scope, (tx) =>
    tx.query(
      `select name, id, updated_at, created_at, last_accessed_at, metadata
       from storage.search($1, $2, $3, 1, $4, $5, $6, $7)`,
      [prefix, bucketId, limit, options.offset, options.search, options.sortColumn, options.sortOrder],
    ),
  );
  return result.rows;
}

/**
 * `remove(paths)`: DELETE … RETURNING as the caller; rows it cannot see or delete are silently
 * skipped (docs/supabase-behaviour.md#storage-authorisation, #remove-move-and-copy). Files go only after the rows are gone for good.
 */
export async function removeObjects(ctx: StorageContext, scope: Scope, bucketId: string, names: string[]) {
  const deleted = await asCaller(
    scope,
    (tx) => tx.query<ObjectRow>(`delete from storage.objects where bucket_id = $1 and name = any($2) returning ${OBJECT_COLUMNS}`, [bucketId, names]),
    { allowDelete: true },
  );
  for (const row of deleted.rows) await ctx.backend.remove(row.bucket_id, row.version);
  return deleted.rows.map(objectRowBody);
}

/** Single delete: the row must exist (checked as superuser); a delete RLS refuses is AccessDenied (storage-api). */
export async function deleteObject(ctx: StorageContext, scope: Scope, bucketId: string, name: string): Promise<void> {
  await asSuperuser(scope, (tx) => findObject(tx, bucketId, name));
  const deleted = await asCaller(
    scope,
    (tx) => tx.query<ObjectRow>(`delete from storage.objects where bucket_id = $1 and name = $2 returning ${OBJECT_COLUMNS}`, [bucketId, name]),
    { allowDelete: true },
  );
  if (!deleted.rows[0]) throw ERRORS.accessDenied("Access denied");
  await ctx.backend.remove(bucketId, deleted.rows[0].version);
}

export interface Transfer {
  bucketId: string;
  sourceKey: string;
  destinationBucket: string;
  destinationKey: string;
}

/** Move: the caller must be able to see the source and UPDATE it into its new name (a rolled-back test). */
export async function moveObject(ctx: StorageContext, scope: Scope, move: Transfer) {
  mustBeWritableKey(move.destinationKey);
  const owner = scope.caller.owner;
  const { owner: ownerUuid, ownerId } = ownerColumns(owner);
  await testPermission(scope, async (tx) => {
    await findObject(tx, move.bucketId, move.sourceKey);
    const updated = await tx.query(
      `update storage.objects set name = $3, bucket_id = $4, version = $5, owner = $6, owner_id = $7
       where bucket_id = $1 and name = $2 returning id`,
      [move.bucketId, move.sourceKey, move.destinationKey, move.destinationBucket, randomUUID(), ownerUuid, ownerId],
    );
    if (!updated.rows[0]) throw ERRORS.noSuchKey();
  });
  const source = await asSuperuser(scope, (tx) => findObject(tx, move.bucketId, move.sourceKey));
  if (move.bucketId === move.destinationBucket && move.sourceKey === move.destinationKey) {
    return { message: "Successfully moved" };
  }
  const version = randomUUID();
  // Same filesystem: a rename, not a copy, so moving a large object costs nothing.
  await ctx.backend.rename(move.bucketId, source.version!, move.destinationBucket, version);
  try {
    await asSuperuser(scope, (tx) =>
      tx.query(
        `update storage.objects set name = $3, bucket_id = $4, version = $5, owner = $6, owner_id = $7,
           metadata = jsonb_set(coalesce(metadata, '{}'), '{lastModified}', to_jsonb($8::text))
         where bucket_id = $1 and name = $2`,
        [move.bucketId, move.sourceKey, move.destinationKey, move.destinationBucket, version, ownerUuid, ownerId, new Date().toISOString()],
      ),
    );
  } catch (error) {
    await ctx.backend.rename(move.destinationBucket, version, move.bucketId, source.version!);
    throw error;
  }
  return { message: "Successfully moved" };
}

/** Copy: SELECT on the source as the caller, then the same upload permission test as a new object. */
export async function copyObject(ctx: StorageContext, scope: Scope, copy: Transfer, upsert: boolean) {
  mustBeWritableKey(copy.destinationKey);
  const source = await asCaller(scope, (tx) => findObject(tx, copy.bucketId, copy.sourceKey));
  const target = { bucketId: copy.destinationBucket, objectName: copy.destinationKey, upsert, owner: scope.caller.owner };
  await canUpload(scope, target, { ...(source.metadata ?? {}) }, source.user_metadata ?? undefined);
  const version = randomUUID();
  await ctx.backend.copy(copy.bucketId, source.version!, copy.destinationBucket, version);
  const metadata = { ...source.metadata, lastModified: new Date().toISOString() };
  const { owner, ownerId } = ownerColumns(scope.caller.owner);
  try {
    const { row, previous } = await asSuperuser(scope, async (tx) => {
      const current = await tx.query<{ version: string }>(
        "select version from storage.objects where bucket_id = $1 and name = $2 for update",
        [copy.destinationBucket, copy.destinationKey],
      );
      if (current.rows[0] && !upsert) throw ERRORS.keyAlreadyExists();
      const written = await tx.query<ObjectRow>(
        `insert into storage.objects (bucket_id, name, owner, owner_id, version, metadata, user_metadata)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (name, bucket_id) do update set owner = excluded.owner, owner_id = excluded.owner_id,
           version = excluded.version, metadata = excluded.metadata, user_metadata = excluded.user_metadata
         returning ${OBJECT_COLUMNS}`,
        [copy.destinationBucket, copy.destinationKey, owner, ownerId, version, metadata, source.user_metadata],
      );
      return { row: written.rows[0], previous: current.rows[0]?.version ?? null };
    });
    if (previous) await ctx.backend.remove(copy.destinationBucket, previous);
    return { Id: row.id, Key: `${copy.destinationBucket}/${copy.destinationKey}`, ...objectRowBody(row) };
  } catch (error) {
    await ctx.backend.remove(copy.destinationBucket, version);
    throw error;
  }
}
