import { badQuery } from "./errors.ts";
import { splitTopLevel, unquote } from "./split.ts";

export const OPERATORS = [
  "eq", "neq", "gt", "gte", "lt", "lte", "like", "ilike", "match", "imatch", "is", "isdistinct", "in",
  "cs", "cd", "ov", "fts", "plfts", "phfts", "wfts",
] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Condition {
  kind: "condition";
  column: string;
  op: Operator;
  negate: boolean;
  /** Raw value; for `in` the unquoted list items are in `values`. */
  value: string;
  values: string[];
  /** Text-search configuration from `fts(english)`. */
  config: string | null;
}

export interface Logic {
  kind: "logic";
  op: "and" | "or";
  negate: boolean;
  children: Filter[];
}

export type Filter = Condition | Logic;

/** `col=not.eq.5` → a Condition on `col` (docs/supabase-behaviour.md#postgrest-requests lists the forms postgrest-js emits). */
export function parseCondition(column: string, expression: string): Condition {
  let rest = expression;
  let negate = false;
  if (rest.startsWith("not.")) {
    negate = true;
    rest = rest.slice(4);
  }
  const dot = rest.indexOf(".");
  if (dot < 0) throw badQuery(`"failed to parse filter (${expression})" (line 1, column 1)`, "unexpected end of input expecting operator");
  const opText = rest.slice(0, dot);
  const value = rest.slice(dot + 1);
  const fts = /^(fts|plfts|phfts|wfts)\(([a-zA-Z_][a-zA-Z0-9_]*)\)$/.exec(opText);
  const op = (fts ? fts[1] : opText) as Operator;
  if (!OPERATORS.includes(op)) {
    throw badQuery(`"failed to parse filter (${expression})" (line 1, column ${negate ? 5 : 1})`, `unknown operator "${opText}"`);
  }
  const values = op === "in" ? parseList(value, expression) : [];
  if (op === "is" && !["null", "true", "false", "unknown"].includes(value.toLowerCase())) {
    throw badQuery(`"failed to parse filter (${expression})" (line 1, column 4)`, 'expecting "null", "true", "false" or "unknown"');
  }
  return { kind: "condition", column, op, negate, value, values, config: fts ? fts[2] : null };
}

/** `or=(a.eq.1,and(b.gt.2,c.is.null))` — nested groups allowed, as PostgREST allows them. */
export function parseLogic(op: "and" | "or", negate: boolean, text: string): Logic {
  if (!text.startsWith("(") || !text.endsWith(")")) {
    throw badQuery(`"failed to parse logic tree (${text})" (line 1, column 1)`, 'expecting "("');
  }
  const children = splitTopLevel(text.slice(1, -1)).map((item) => parseLogicItem(item, text));
  return { kind: "logic", op, negate, children };
}

function parseLogicItem(item: string, whole: string): Filter {
  const group = /^(not\.)?(and|or)(\(.*\))$/s.exec(item);
  if (group) return parseLogic(group[2] as "and" | "or", Boolean(group[1]), group[3]);
  const dot = item.indexOf(".");
  if (dot <= 0) throw badQuery(`"failed to parse logic tree (${whole})" (line 1, column 1)`, `unexpected "${item}"`);
  return parseCondition(unquote(item.slice(0, dot)), item.slice(dot + 1));
}

function parseList(value: string, expression: string): string[] {
  if (!value.startsWith("(") || !value.endsWith(")")) {
    throw badQuery(`"failed to parse filter (${expression})" (line 1, column 4)`, 'expecting "("');
  }
  const inner = value.slice(1, -1);
  return inner === "" ? [] : splitTopLevel(inner).map((item) => unquote(item.trim()));
}
