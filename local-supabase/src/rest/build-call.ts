import { buildRead } from "./build-read.ts";
import { RestError } from "./errors.ts";
import { parseQuery, type ParsedQuery } from "./parse-query.ts";
import type { DbFunction, SchemaSnapshot, Table } from "./schema-cache.ts";
import { ident, Params, qualified } from "./sql.ts";

export interface Call {
  fn: DbFunction;
  sql: string;
  params: unknown[];
  /** Set when the function returns rows of a table: the result then reads like that table (filters, select=…). */
  query: ParsedQuery | null;
}

const RESERVED = new Set(["select", "order", "limit", "offset", "columns", "on_conflict", "or", "and"]);

/**
 * Chooses the overload whose named arguments fit and builds one statement calling it. Arguments travel
 * as ONE json parameter turned into typed values by json_to_record, so a value can never become SQL.
 * With GET, query parameters that are not arguments are filters on a table-returning result.
 */
export function buildCall(
  snapshot: SchemaSnapshot,
  name: string,
  body: Record<string, unknown> | null,
  search: URLSearchParams,
  options: { maxRows: number; count: boolean },
): Call {
  const fromQuery = body === null;
  const given = body ?? queryArgs(search);
  const keys = Object.keys(given);
  const fn = (snapshot.functions.get(name) ?? []).find((candidate) => {
    const names = candidate.args.map((arg) => arg.name);
    const required = candidate.args.every((arg) => arg.hasDefault || (arg.name !== null && keys.includes(arg.name)));
    const extrasAreFilters = fromQuery && resultShape(snapshot, candidate) !== undefined;
    return required && (extrasAreFilters || keys.every((key) => names.includes(key)));
  });
  if (!fn) throw functionNotFound(snapshot.schema, name, keys);
  const params = new Params();
  const passed = fn.args.filter((arg) => arg.name !== null && keys.includes(arg.name));
  const values = Object.fromEntries(passed.map((arg) => [arg.name, given[arg.name as string]]));
  const call = `${qualified(snapshot.schema, fn.name)}(${passed.map((arg) => `${ident(arg.name!)} := _a.${ident(arg.name!)}`).join(", ")})`;
  const record = passed.length
    ? `json_to_record(${params.add(JSON.stringify(values))}::json) as _a(${passed.map((arg) => `${ident(arg.name!)} ${arg.type}`).join(", ")})`
    : "(select) _a";
  if (fn.returnsVoid) return { fn, sql: `select ${call} from ${record}`, params: params.values, query: null };
  const table = resultShape(snapshot, fn);
  if (table) {
    const query = parseQuery(search, new Set(fromQuery ? passed.map((arg) => arg.name as string) : []));
    const source = `(select _f.* from ${record}, lateral ${call} _f)`;
    const read = buildRead(snapshot, table as Table, query, { maxRows: options.maxRows, count: options.count, source }, params);
    return { fn, sql: read.sql, params: read.params, query };
  }
  const sql = `select coalesce(json_agg(_f), '[]')::text as body, count(*)::int as n from ${record}, lateral ${call} _f`;
  return { fn, sql, params: params.values, query: null };
}

/**
 * The table a set of rows from `fn` reads like, for filters, `select=`, order and paging: the table of
 * `returns setof <table>`, or the columns of `returns table (…)` / OUT parameters — PostgREST filters
 * both alike (docs/supabase-behaviour.md#postgrest-requests).
 */
function resultShape(snapshot: SchemaSnapshot, fn: DbFunction): Table | undefined {
  if (fn.returnsTable !== null) return snapshot.tables.get(fn.returnsTable);
  if (!fn.returnsSet || fn.outColumns.length === 0) return undefined;
  return { schema: snapshot.schema, name: fn.name, columns: new Map(fn.outColumns.map((column) => [column.name, column])), uniques: [] };
}

function queryArgs(params: URLSearchParams): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [key, value] of params) if (!RESERVED.has(key) && !key.includes(".")) args[key] = value;
  return args;
}

function functionNotFound(schema: string, name: string, keys: string[]): RestError {
  const list = [...keys].sort().join(", ");
  return new RestError(
    404,
    "PGRST202",
    `Could not find the function ${schema}.${name}${keys.length ? `(${list})` : " without parameters"} in the schema cache`,
    `Searched for the function ${schema}.${name} with parameters ${keys.length ? list : "none"}, but no matches were found in the schema cache.`,
  );
}
