import { buildFilters, buildOrder } from "./build-where.ts";
import { buildProjection, limitClause } from "./build-select.ts";
import type { ParsedQuery } from "./parse-query.ts";
import type { SchemaSnapshot, Table } from "./schema-cache.ts";
import { qualified, Params } from "./sql.ts";

export interface ReadSql {
  sql: string;
  params: unknown[];
}

/** Everything a read needs besides the table: the row cap and whether to count (Prefer: count=exact). */
export interface ReadOptions {
  maxRows: number;
  count: boolean;
  /** Read from this SQL source (a write's CTE, a function call) instead of the table itself. */
  source?: string;
  /** The source already holds exactly the rows to return (a write's CTE): no filters, no paging. */
  prefiltered?: boolean;
}

/**
 * One statement answers a read: `body` (the JSON array as text), `n` (rows in this page) and, when
 * counting, `total` over the same WHERE without limit/offset (docs/supabase-behaviour.md#postgrest-responses).
 */
export function buildRead(snapshot: SchemaSnapshot, table: Table, query: ParsedQuery, options: ReadOptions, params = new Params()): ReadSql {
  const alias = params.alias();
  const root = query.levels.get("") ?? { filters: [], order: [], limit: null, offset: null };
  const projection = buildProjection(snapshot, table, alias, query.select, "", query, params);
  const from = options.source ? `${options.source} ${alias}` : `${qualified(table.schema, table.name)} ${alias}`;
  const conditions = [...(options.prefiltered ? [] : buildFilters(table, alias, root.filters, params)), ...projection.innerConditions];
  const where = conditions.length ? ` where ${conditions.join(" and ")}` : "";
  const order = buildOrder(table, alias, root.order);
  const page = options.prefiltered
    ? ""
    : limitClause({ limit: Math.min(root.limit ?? options.maxRows, options.maxRows), offset: root.offset }, params);
  const total = options.count ? `, (select count(*) from ${from}${where})::int as total` : "";
  const sql =
    `select coalesce(json_agg(_row), '[]')::text as body, count(*)::int as n${total} ` +
    `from (select ${projection.columns} from ${from}${where}${order}${page}) _row`;
  return { sql, params: params.values };
}
