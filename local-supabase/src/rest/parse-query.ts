import { badQuery } from "./errors.ts";
import { parseCondition, parseLogic, type Filter } from "./parse-filters.ts";
import { parseSelect, type SelectItem } from "./parse-select.ts";
import { splitTopLevel, unquote } from "./split.ts";

export interface OrderTerm {
  column: string;
  descending: boolean;
  nulls: "first" | "last" | null;
}

/** Per embedding level: "" is the root table, "album_entries" (alias or name) an embed, "a.b" deeper. */
export interface LevelOptions {
  filters: Filter[];
  order: OrderTerm[];
  limit: number | null;
  offset: number | null;
}

export interface ParsedQuery {
  select: SelectItem[];
  /** Whether `select=` was given at all (writes return nothing selectable without it). */
  hasSelect: boolean;
  levels: Map<string, LevelOptions>;
  columns: string[] | null;
  onConflict: string[] | null;
}

const ROOT_ONLY = new Set(["select", "columns", "on_conflict"]);

/** Reads every query parameter PostgREST understands; `skip` lists parameters that are RPC arguments. */
export function parseQuery(params: URLSearchParams, skip: Set<string> = new Set()): ParsedQuery {
  const levels = new Map<string, LevelOptions>();
  const level = (path: string) => {
    let options = levels.get(path);
    if (!options) levels.set(path, (options = { filters: [], order: [], limit: null, offset: null }));
    return options;
  };
  level("");
  for (const [key, value] of params) {
    if (ROOT_ONLY.has(key) || skip.has(key)) continue;
    const dot = key.lastIndexOf(".");
    const last = key.slice(dot + 1);
    const path = dot < 0 ? "" : key.slice(0, dot);
    if (last === "order") level(path).order.push(...parseOrder(value));
    else if (last === "limit") level(path).limit = parseCount(key, value);
    else if (last === "offset") level(path).offset = parseCount(key, value);
    else if ((last === "or" || last === "and") && value.startsWith("(")) {
      const negate = path === "not" || path.endsWith(".not");
      const at = negate ? path.replace(/\.?not$/, "") : path;
      level(at).filters.push(parseLogic(last, negate, value));
    } else level(path).filters.push(parseCondition(unquote(last), value));
  }
  const selectText = params.get("select");
  const columns = params.get("columns");
  const onConflict = params.get("on_conflict");
  return {
    select: parseSelect(selectText),
    hasSelect: selectText !== null,
    levels,
    columns: columns === null ? null : splitTopLevel(columns).map((name) => unquote(name.trim())),
    onConflict: onConflict === null ? null : splitTopLevel(onConflict).map((name) => unquote(name.trim())),
  };
}

function parseOrder(value: string): OrderTerm[] {
  return splitTopLevel(value).map((term) => {
    const [rawColumn, ...modifiers] = term.split(".");
    const order: OrderTerm = { column: unquote(rawColumn), descending: false, nulls: null };
    for (const modifier of modifiers) {
      if (modifier === "asc") order.descending = false;
      else if (modifier === "desc") order.descending = true;
      else if (modifier === "nullsfirst") order.nulls = "first";
      else if (modifier === "nullslast") order.nulls = "last";
      else throw badQuery(`"failed to parse order (${value})" (line 1, column ${value.indexOf(modifier) + 1})`, `unexpected "${modifier}"`);
    }
    return order;
  });
}

function parseCount(key: string, value: string): number {
  if (!/^\d+$/.test(value)) throw badQuery(`"failed to parse ${key} parameter (${value})"`, "expecting a non-negative integer");
  return Number(value);
}
