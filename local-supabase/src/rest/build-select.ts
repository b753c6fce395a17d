import { badQuery } from "./errors.ts";
import { buildFilters, buildOrder, columnRef } from "./build-where.ts";
import type { LevelOptions, ParsedQuery } from "./parse-query.ts";
import type { EmbedItem, SelectItem } from "./parse-select.ts";
import { resolveRelationship } from "./relationships.ts";
import type { SchemaSnapshot, Table } from "./schema-cache.ts";
import { ident, qualified, type Params } from "./sql.ts";

export interface Projection {
  /** The select list for one level. */
  columns: string;
  /** `exists (…)` conditions that `!inner` embeds add to this level's WHERE. */
  innerConditions: string[];
}

const NO_OPTIONS: LevelOptions = { filters: [], order: [], limit: null, offset: null };

/**
 * The select list of one level. Embeds become correlated subqueries built with row_to_json / json_agg,
 * so the whole response is one JSON value computed by Postgres under the caller's RLS (docs/supabase-behaviour.md#request-role-and-claims).
 */
export function buildProjection(
  snapshot: SchemaSnapshot,
  table: Table,
  alias: string,
  items: SelectItem[],
  path: string,
  query: ParsedQuery,
  params: Params,
): Projection {
  const columns: string[] = [];
  const innerConditions: string[] = [];
  for (const item of items) {
    if (item.kind === "star") columns.push(`${alias}.*`);
    else if (item.kind === "count" || (item.kind === "column" && item.name === "count" && !table.columns.has("count"))) {
      // `album_entries(count)` → `[{"count": n}]`, as PostgREST's aggregate; only alone on its level.
      if (items.length !== 1) throw badQuery("count() can only be selected on its own in this local platform");
      columns.push(`count(*) as ${ident(item.alias ?? "count")}`);
    } else if (item.kind === "column") {
      const ref = columnRef(table, alias, item.name);
      columns.push(`${item.cast ? `${ref}::${item.cast}` : ref} as ${ident(item.alias ?? item.name)}`);
    } else {
      const embed = buildEmbed(snapshot, table, alias, item, path, query, params);
      columns.push(`${embed.value} as ${ident(item.alias ?? item.relation)}`);
      if (item.inner) innerConditions.push(`exists (select 1 from ${embed.from} where ${embed.where})`);
    }
  }
  return { columns: columns.join(", "), innerConditions };
}

function buildEmbed(snapshot: SchemaSnapshot, parent: Table, parentAlias: string, item: EmbedItem, path: string, query: ParsedQuery, params: Params) {
  if (item.spread) throw badQuery("Spread embeds (...table) are not supported by the local platform");
  const rel = resolveRelationship(snapshot, parent, item);
  const alias = params.alias();
  const levelPath = path === "" ? item.alias ?? item.relation : `${path}.${item.alias ?? item.relation}`;
  const options = query.levels.get(levelPath) ?? NO_OPTIONS;
  const pairs = rel.fk.columns.map((column, i) => [column, rel.fk.refColumns[i]]);
  const join = pairs.map(([column, refColumn]) =>
    rel.direction === "many-to-one"
      ? `${alias}.${ident(refColumn)} = ${parentAlias}.${ident(column)}`
      : `${alias}.${ident(column)} = ${parentAlias}.${ident(refColumn)}`,
  );
  const inner = buildProjection(snapshot, rel.target, alias, item.children, levelPath, query, params);
  const where = [...join, ...buildFilters(rel.target, alias, options.filters, params), ...inner.innerConditions].join(" and ");
  const from = `${qualified(rel.target.schema, rel.target.name)} ${alias}`;
  const order = buildOrder(rel.target, alias, options.order);
  const row = `select ${inner.columns} from ${from} where ${where}${order}`;
  const value = rel.single
    ? `(select row_to_json(_e) from (${row} limit 1) _e)`
    : `(select coalesce(json_agg(_e), '[]') from (${row}${limitClause(options, params)}) _e)`;
  return { value, from, where };
}

export function limitClause(options: { limit: number | null; offset: number | null }, params: Params): string {
  const limit = options.limit === null ? "" : ` limit ${params.add(options.limit)}`;
  const offset = options.offset === null ? "" : ` offset ${params.add(options.offset)}`;
  return limit + offset;
}
