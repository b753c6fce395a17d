import { RestError } from "./errors.ts";
import type { Condition, Filter } from "./parse-filters.ts";
import type { OrderTerm } from "./parse-query.ts";
import type { Table } from "./schema-cache.ts";
import { ident, type Params } from "./sql.ts";

/** PostgREST lets Postgres report an unknown column: 42703, HTTP 400 (docs/supabase-behaviour.md#postgrest-errors). */
export function undefinedColumn(table: Table, column: string): RestError {
  return new RestError(400, "42703", `column ${table.name}.${column} does not exist`);
}

export function columnRef(table: Table, alias: string, column: string): string {
  if (!table.columns.has(column)) throw undefinedColumn(table, column);
  return `${alias}.${ident(column)}`;
}

export function buildFilters(table: Table, alias: string, filters: Filter[], params: Params): string[] {
  return filters.map((filter) => buildFilter(table, alias, filter, params));
}

function buildFilter(table: Table, alias: string, filter: Filter, params: Params): string {
  if (filter.kind === "logic") {
    const parts = filter.children.map((child) => buildFilter(table, alias, child, params));
    const joined = parts.length === 0 ? "true" : `(${parts.join(filter.op === "and" ? " and " : " or ")})`;
    return filter.negate ? `not ${joined}` : joined;
  }
  const sql = buildCondition(columnRef(table, alias, filter.column), filter, params);
  return filter.negate ? `not (${sql})` : sql;
}

const COMPARISONS: Record<string, string> = { eq: "=", neq: "<>", gt: ">", gte: ">=", lt: "<", lte: "<=", cs: "@>", cd: "<@", ov: "&&" };
const TEXT_SEARCH: Record<string, string> = { fts: "to_tsquery", plfts: "plainto_tsquery", phfts: "phraseto_tsquery", wfts: "websearch_to_tsquery" };

function buildCondition(column: string, condition: Condition, params: Params): string {
  const { op, value } = condition;
  if (op in COMPARISONS) return `${column} ${COMPARISONS[op]} ${params.add(value)}`;
  // `*` is PostgREST's URL-safe spelling of the `%` wildcard.
  if (op === "like" || op === "ilike") return `${column}::text ${op} ${params.add(value.replace(/\*/g, "%"))}`;
  if (op === "match") return `${column}::text ~ ${params.add(value)}`;
  if (op === "imatch") return `${column}::text ~* ${params.add(value)}`;
  if (op === "isdistinct") return `${column} is distinct from ${params.add(value)}`;
  if (op === "is") return `${column} is ${value.toLowerCase()}`; // one of four keywords, checked by the parser
  if (op === "in") {
    if (condition.values.length === 0) return "false";
    return `${column} in (${condition.values.map((item) => params.add(item)).join(", ")})`;
  }
  const fn = TEXT_SEARCH[op];
  const config = condition.config === null ? "" : `${params.add(condition.config)}::regconfig, `;
  return `${column} @@ ${fn}(${config}${params.add(value)})`;
}

export function buildOrder(table: Table, alias: string, order: OrderTerm[]): string {
  if (order.length === 0) return "";
  const terms = order.map((term) => {
    const nulls = term.nulls === null ? "" : ` nulls ${term.nulls}`;
    return `${columnRef(table, alias, term.column)} ${term.descending ? "desc" : "asc"}${nulls}`;
  });
  return ` order by ${terms.join(", ")}`;
}
