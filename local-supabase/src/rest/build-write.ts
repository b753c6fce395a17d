import { buildRead } from "./build-read.ts";
import { buildFilters } from "./build-where.ts";
import { columnNotFound, RestError } from "./errors.ts";
import type { ParsedQuery } from "./parse-query.ts";
import type { SchemaSnapshot, Table } from "./schema-cache.ts";
import { ident, Params, qualified } from "./sql.ts";

export interface WriteOptions {
  /** Prefer: return=representation — wrap the write in a CTE and read the rows back with `select=`. */
  representation: boolean;
  count: boolean;
  maxRows: number;
}

export interface InsertOptions extends WriteOptions {
  /** Prefer: missing=default — keys absent from an object take the column default, not NULL (docs/supabase-behaviour.md#postgrest-requests). */
  missingDefault: boolean;
  resolution: "merge-duplicates" | "ignore-duplicates" | null;
}

export interface WriteSql {
  sql: string;
  params: unknown[];
}

type Row = Record<string, unknown>;

/**
 * POST: the body goes in as ONE json parameter and Postgres converts it with json_populate_recordset,
 * as PostgREST does, so values are never spliced into SQL and column types coerce exactly as there.
 */
export function buildInsert(snapshot: SchemaSnapshot, table: Table, query: ParsedQuery, rows: Row[], options: InsertOptions): WriteSql {
  const params = new Params();
  const columns = query.columns ?? unionOfKeys(rows);
  for (const column of columns) if (!table.columns.has(column)) throw columnNotFound(table.name, column);
  const groups = options.missingDefault ? groupByKeys(rows, columns) : [{ columns, rows }];
  const conflict = buildConflict(table, query, columns, options);
  const type = qualified(table.schema, table.name);
  const statements = groups.map((group) => {
    if (group.columns.length === 0) return `insert into ${type} default values${conflict}`;
    const list = group.columns.map(ident).join(", ");
    return `insert into ${type} (${list}) select ${list} from json_populate_recordset(null::${type}, ${params.add(JSON.stringify(group.rows))}::json)${conflict}`;
  });
  // An upsert that only updated answers 200 instead of 201 (docs/supabase-behaviour.md#postgrest-responses); `xmax = 0` marks freshly inserted rows.
  const trackInserted = options.resolution === "merge-duplicates";
  return finishWrite(snapshot, table, query, statements, options, params, undefined, trackInserted);
}

/** PATCH: one json object, applied with json_populate_record to every row the filters (and RLS) select. */
export function buildUpdate(snapshot: SchemaSnapshot, table: Table, query: ParsedQuery, body: Row, options: WriteOptions): WriteSql | null {
  const params = new Params();
  const columns = Object.keys(body);
  for (const column of columns) if (!table.columns.has(column)) throw columnNotFound(table.name, column);
  if (columns.length === 0) return null;
  const alias = params.alias();
  const type = qualified(table.schema, table.name);
  const sets = columns.map((column) => `${ident(column)} = _body.${ident(column)}`).join(", ");
  const where = buildFilters(table, alias, query.levels.get("")?.filters ?? [], params);
  const statement =
    `update ${type} as ${alias} set ${sets} from json_populate_record(null::${type}, ${params.add(JSON.stringify(body))}::json) _body` +
    (where.length ? ` where ${where.join(" and ")}` : "");
  return finishWrite(snapshot, table, query, [statement], options, params, alias);
}

export function buildDelete(snapshot: SchemaSnapshot, table: Table, query: ParsedQuery, options: WriteOptions): WriteSql {
  const params = new Params();
  const alias = params.alias();
  const where = buildFilters(table, alias, query.levels.get("")?.filters ?? [], params);
  const statement = `delete from ${qualified(table.schema, table.name)} as ${alias}` + (where.length ? ` where ${where.join(" and ")}` : "");
  return finishWrite(snapshot, table, query, [statement], options, params, alias);
}

/**
 * Without representation the statement runs bare (no RETURNING, so no SELECT policy is needed and the
 * affected-row count comes from Postgres). With it, the writes become CTEs read back through `select=`.
 */
function finishWrite(
  snapshot: SchemaSnapshot,
  table: Table,
  query: ParsedQuery,
  statements: string[],
  options: WriteOptions,
  params: Params,
  alias?: string,
  trackInserted = false,
): WriteSql {
  if (!options.representation) {
    if (statements.length === 1) return { sql: statements[0], params: params.values };
    const ctes = statements.map((statement, i) => `_w${i} as (${statement} returning 1)`);
    return { sql: `with ${ctes.join(", ")} select ${statements.map((_, i) => `(select count(*) from _w${i})`).join(" + ")} as n`, params: params.values };
  }
  const returning = (alias ? `${alias}.*` : "*") + (trackInserted ? ", (xmax = 0) as _inserted" : "");
  const ctes = statements.map((statement, i) => `_w${i} as (${statement} returning ${returning})`);
  const columns = [...table.columns.keys()].map(ident).join(", ");
  const source = `(${statements.map((_, i) => `select ${columns} from _w${i}`).join(" union all ")})`;
  const read = buildRead(snapshot, table, query, { maxRows: Number.MAX_SAFE_INTEGER, count: false, source, prefiltered: true }, params);
  const inserted = trackInserted
    ? statements.map((_, i) => `(select count(*) from _w${i} where _inserted)`).join(" + ")
    : "null";
  return { sql: `with ${ctes.join(", ")} select _read.*, (${inserted})::int as inserted from (${read.sql}) _read`, params: read.params };
}

function buildConflict(table: Table, query: ParsedQuery, columns: string[], options: InsertOptions): string {
  if (options.resolution === null) return "";
  const target = query.onConflict ?? table.uniques[0];
  if (!target || target.length === 0) {
    throw new RestError(400, "PGRST100", `on_conflict is required: '${table.name}' has no primary key`);
  }
  for (const column of target) if (!table.columns.has(column)) throw columnNotFound(table.name, column);
  const on = ` on conflict (${target.map(ident).join(", ")})`;
  const updates = columns.filter((column) => !target.includes(column));
  if (options.resolution === "ignore-duplicates" || updates.length === 0) return `${on} do nothing`;
  return `${on} do update set ${updates.map((column) => `${ident(column)} = excluded.${ident(column)}`).join(", ")}`;
}

function unionOfKeys(rows: Row[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) keys.add(key);
  return [...keys];
}

function groupByKeys(rows: Row[], columns: string[]): { columns: string[]; rows: Row[] }[] {
  const groups = new Map<string, { columns: string[]; rows: Row[] }>();
  for (const row of rows) {
    const present = columns.filter((column) => column in row);
    const key = JSON.stringify(present);
    const group = groups.get(key) ?? { columns: present, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  return [...groups.values()];
}
