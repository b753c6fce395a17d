import type { Tx } from "../../db/database.ts";
import { asCaller, type Scope } from "../caller.ts";
import { MAX_LIST_V2_LIMIT } from "../limits.ts";
import { decodeListCursor, encodeListCursor, type ListCursor } from "./list-cursor.ts";

export interface ListV2Options {
  prefix: string;
  withDelimiter: boolean;
  limit: number | undefined;
  cursor: string | undefined;
  sortBy: { column: string; order?: string } | undefined;
}

type Entry = Record<string, unknown> & { name: string; id: string | null };

/**
 * `POST /object/list-v2/{bucket}` as storage-api answers it. Names are full keys, never relative to
 * the prefix, and the prefix is a plain string prefix (`a` matches `a/…` and `ab.txt`). Flat (no
 * delimiter): every object under the prefix, by name or by `updated_at`/`created_at`. With the delimiter:
 * one level, each sub-folder once as `<prefix><segment>/` with a null id. Pages are at most 1000 long
 * and chained by an opaque cursor that carries the sort. Runs as the caller, so RLS decides what is seen
 * (docs/supabase-behaviour.md#listing).
 */
export async function listObjectsV2(scope: Scope, bucketId: string, options: ListV2Options) {
  const limit = Math.min(options.limit || MAX_LIST_V2_LIMIT, MAX_LIST_V2_LIMIT);
  const cursor = options.cursor ? decodeListCursor(options.cursor) : undefined;
  const order = (cursor?.sortOrder || options.sortBy?.order || "asc").toLowerCase() === "desc" ? "desc" : "asc";
  const column = cursor?.sortColumn || options.sortBy?.column || "name";
  const page = { bucketId, prefix: options.prefix, limit: limit + 1, cursor, order, column } as const;

  const rows = await asCaller(scope, (tx) =>
    !options.withDelimiter ? flatPage(tx, page) : column === "name" ? delimitedByName(tx, page) : delimitedByTime(tx, page),
  );

  const hasNext = rows.length > limit;
  const shown = rows.slice(0, limit);
  const folders: Entry[] = [];
  const objects: Entry[] = [];
  for (const row of shown) {
    if (row.id === null) folders.push({ ...row, name: row.name.endsWith("/") ? row.name : `${row.name}/` });
    else objects.push(row);
  }
  if (!hasNext) return { hasNext, folders, objects };
  const last = shown[shown.length - 1];
  const lastValue = column !== "name" ? last[column] : null;
  const nextCursor = encodeListCursor({
    startAfter: last.name,
    sortOrder: cursor?.sortOrder || options.sortBy?.order,
    sortColumn: cursor?.sortColumn || options.sortBy?.column,
    sortColumnAfter: lastValue ? new Date(lastValue as Date).toISOString() : undefined,
  });
  return { hasNext, nextCursor, nextCursorKey: last.name, folders, objects };
}

interface Page {
  bucketId: string;
  prefix: string;
  limit: number;
  cursor: ListCursor | undefined;
  order: "asc" | "desc";
  column: string;
}

const TIME_COLUMNS = new Set(["updated_at", "created_at"]);

/** LIKE with the prefix taken literally (`%` and `_` are characters in a key). */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/\\/g, "\\\\").replace(/([%_])/g, "\\$1")}%`;
}

/** Every object under the prefix; by name (bytewise), or by a timestamp and then name. */
async function flatPage(tx: Tx, page: Page): Promise<Entry[]> {
  const values: unknown[] = [page.bucketId, page.limit];
  const where = ["bucket_id = $1"];
  const timeColumn = TIME_COLUMNS.has(page.column) ? page.column : null;
  const op = page.order === "asc" ? ">" : "<";
  if (page.prefix) {
    values.push(likePrefix(page.prefix));
    where.push(`name like $${values.length}`);
  }
  if (page.cursor?.startAfter) {
    if (timeColumn && page.cursor.sortColumnAfter) {
      values.push(page.cursor.sortColumnAfter, page.cursor.startAfter);
      where.push(`(date_trunc('milliseconds', ${timeColumn}), name collate "C") ${op} ($${values.length - 1}::timestamptz, $${values.length})`);
    } else {
      values.push(page.cursor.startAfter);
      where.push(`name collate "C" ${op} $${values.length}`);
    }
  }
  const result = await tx.query<Entry>(
    `select id, name, metadata, updated_at, created_at, last_accessed_at from storage.objects
     where ${where.join(" and ")}
     order by ${timeColumn ? `${timeColumn} ${page.order}, ` : ""}name collate "C" ${page.order}
     limit $2`,
    values,
  );
  return result.rows;
}

/**
 * The objects under the prefix, each either a file of this level or a member of a sub-folder
 * (`folder` = the prefix, the next segment and its slash). Shared by both delimited listings.
 */
const UNDER_PREFIX = `
  select o.*, case when strpos(substr(o.name, length($2) + 1), '/') > 0
    then left(o.name, length($2) + strpos(substr(o.name, length($2) + 1), '/')) end as folder
  from storage.objects o
  where o.bucket_id = $1 and starts_with(o.name, $2)`;

/** `key` is the entry's own segment: the prefix's segment count picks it (storage-api's `levels`). */
function levels(prefix: string): number {
  return prefix ? prefix.split("/").length : 1;
}

/**
 * One level, by name. A folder sorts where its members do (as `<folder>/`), so `a.txt` comes before
 * the folder `a` and a page boundary never splits a folder. After a cursor naming a folder, the
 * listing resumes past all its members.
 */
async function delimitedByName(tx: Tx, page: Page): Promise<Entry[]> {
  const values: unknown[] = [page.bucketId, page.prefix, page.limit, levels(page.prefix)];
  let after = "";
  if (page.cursor?.startAfter) {
    const start = page.cursor.startAfter;
    const isFolder = await tx.query("select 1 from storage.objects where bucket_id = $1 and starts_with(name, $2) limit 1", [page.bucketId, `${start}/`]);
    values.push(isFolder.rows.length > 0 ? `${start}/` : start);
    after = `where sort_key collate "C" ${page.order === "asc" ? ">" : "<"} $5`;
  }
  const result = await tx.query<Entry>(
    `with under as (${UNDER_PREFIX}),
     entries as (
       select folder as sort_key, rtrim(folder, '/') as name, null::uuid as id, null::timestamptz as updated_at,
              null::timestamptz as created_at, null::timestamptz as last_accessed_at, null::jsonb as metadata
       from under where folder is not null group by folder
       union all
       select name, name, id, updated_at, created_at, last_accessed_at, metadata from under where folder is null
     )
     select split_part(name, '/', $4) as key, name, id, updated_at, created_at, last_accessed_at, metadata
     from entries ${after}
     order by sort_key collate "C" ${page.order}
     limit $3`,
    values,
  );
  return result.rows;
}

/**
 * One level, by `updated_at` or `created_at`. A folder takes its oldest member's `created_at` for both
 * (storage-api's rule); ties go by name.
 */
async function delimitedByTime(tx: Tx, page: Page): Promise<Entry[]> {
  const column = TIME_COLUMNS.has(page.column) ? page.column : "created_at";
  const values: unknown[] = [page.bucketId, page.prefix, page.limit, levels(page.prefix)];
  let after = "";
  if (page.cursor?.startAfter) {
    values.push(page.cursor.startAfter, page.cursor.sortColumnAfter ?? "");
    after = `where (date_trunc('milliseconds', ${column}), name collate "C") ${page.order === "asc" ? ">" : "<"}
      (coalesce(nullif($6, '')::timestamptz, 'epoch'::timestamptz), $5)`;
  }
  const result = await tx.query<Entry>(
    `with under as (${UNDER_PREFIX}),
     entries as (
       select rtrim(folder, '/') as name, null::uuid as id, min(created_at) as updated_at, min(created_at) as created_at,
              null::timestamptz as last_accessed_at, null::jsonb as metadata
       from under where folder is not null group by folder
       union all
       select name, id, updated_at, created_at, last_accessed_at, metadata from under where folder is null
     )
     select split_part(name, '/', $4) as key, name, id, updated_at, created_at, last_accessed_at, metadata
     from entries ${after}
     order by coalesce(date_trunc('milliseconds', ${column}), 'epoch'::timestamptz) ${page.order}, name collate "C" ${page.order}
     limit $3`,
    values,
  );
  return result.rows;
}
