import { asCaller, asSuperuser, requireServiceRole, type Scope } from "../caller.ts";
import { ERRORS, StorageError } from "../errors.ts";
import { mustBeValidBucketName, parseBucketSizeLimit } from "../limits.ts";
import { BUCKET_COLUMNS, findBucketAsSuperuser, ownerColumns, type StorageContext } from "./rows.ts";

export interface BucketInput {
  id?: unknown;
  name?: unknown;
  public?: unknown;
  file_size_limit?: unknown;
  allowed_mime_types?: unknown;
  type?: unknown;
}

export interface BucketListOptions {
  limit?: number;
  offset?: number;
  search?: string;
  sortColumn: string;
  sortOrder: string;
}

/** Bucket CRUD runs as the caller, so RLS on storage.buckets decides (docs/supabase-behaviour.md#buckets). */
export async function listBuckets(scope: Scope, options: BucketListOptions) {
  const params: unknown[] = [];
  let sql = `select ${BUCKET_COLUMNS.list} from storage.buckets`;
  if (options.search) {
    params.push(`%${options.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    sql += ` where name ilike $${params.length}`;
  }
  sql += ` order by ${options.sortColumn} ${options.sortOrder}`;
  if (options.limit !== undefined) sql += ` limit ${options.limit}`;
  if (options.offset !== undefined) sql += ` offset ${options.offset}`;
  return (await asCaller(scope, (tx) => tx.query(sql, params))).rows;
}

export async function getBucket(scope: Scope, id: string) {
  const result = await asCaller(scope, (tx) => tx.query(`select ${BUCKET_COLUMNS.get} from storage.buckets where id = $1`, [id]));
  if (!result.rows[0]) throw ERRORS.noSuchBucket();
  return result.rows[0];
}

export async function createBucket(scope: Scope, input: BucketInput): Promise<{ name: string }> {
  const id = typeof input.id === "string" ? input.id : typeof input.name === "string" ? input.name : undefined;
  const name = typeof input.name === "string" ? input.name : id;
  mustBeValidBucketName(id);
  mustBeValidBucketName(name);
  if (input.type !== undefined && input.type !== "STANDARD") throw ERRORS.invalidRequest("Only STANDARD buckets are supported locally");
  const { owner, ownerId } = ownerColumns(scope.caller.owner);
  try {
    await asCaller(scope, (tx) =>
      tx.query(
        `insert into storage.buckets (id, name, owner, owner_id, public, file_size_limit, allowed_mime_types)
         values ($1, $2, $3, $4, $5, $6, $7)`,
        [id, name, owner, ownerId, input.public === true, parseBucketSizeLimit(input.file_size_limit) ?? null, mimeTypes(input.allowed_mime_types) ?? null],
      ),
    );
  } catch (error) {
    if (error instanceof StorageError && error.code === "ResourceAlreadyExists") throw ERRORS.bucketAlreadyExists();
    throw error;
  }
  return { name: id };
}

export async function updateBucket(scope: Scope, id: string, input: BucketInput): Promise<{ message: string }> {
  mustBeValidBucketName(id);
  const sets: string[] = [];
  const params: unknown[] = [id];
  const set = (column: string, value: unknown) => {
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  };
  if (typeof input.public === "boolean") set("public", input.public);
  const sizeLimit = parseBucketSizeLimit(input.file_size_limit);
  if (sizeLimit !== undefined) set("file_size_limit", sizeLimit);
  if (input.allowed_mime_types !== undefined) set("allowed_mime_types", mimeTypes(input.allowed_mime_types));
  if (sets.length === 0) throw ERRORS.noContent();
  const result = await asCaller(scope, (tx) =>
    tx.query(`update storage.buckets set ${sets.join(", ")}, updated_at = now() where id = $1 returning id`, params),
  );
  if (!result.rows[0]) throw ERRORS.noSuchBucket();
  return { message: "Successfully updated" };
}

/** Service role only (real HTTP 403 otherwise); hosted queues the work, here it is done at once (docs/supabase-behaviour.md#buckets). */
export async function emptyBucket(ctx: StorageContext, scope: Scope, id: string): Promise<{ message: string }> {
  requireServiceRole(scope.caller);
  await getBucket(scope, id);
  const removed = await asSuperuser(
    scope,
    (tx) => tx.query<{ version: string | null }>("delete from storage.objects where bucket_id = $1 returning version", [id]),
    { allowDelete: true },
  );
  for (const row of removed.rows) await ctx.backend.remove(id, row.version);
  return { message: "Empty bucket has been queued. Completion may take up to an hour." };
}

export async function deleteBucket(ctx: StorageContext, scope: Scope, id: string): Promise<{ message: string }> {
  await findBucketAsSuperuser(scope, id);
  const count = await asSuperuser(scope, (tx) => tx.query("select 1 from storage.objects where bucket_id = $1 limit 1", [id]));
  if (count.rows.length > 0) throw ERRORS.bucketNotEmpty();
  const deleted = await asCaller(scope, (tx) => tx.query("delete from storage.buckets where id = $1 returning id", [id]), { allowDelete: true });
  if (!deleted.rows[0]) throw ERRORS.noSuchBucket();
  await ctx.backend.removeBucket(id);
  return { message: "Successfully deleted" };
}

function mimeTypes(value: unknown): string[] | null | undefined {
  if (value === undefined || value === null) return value as null | undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || v.length > 1000)) {
    throw ERRORS.validation("body/allowed_mime_types must be array of strings");
  }
  return value.length > 0 ? (value as string[]) : null;
}
