import { badQuery } from "./errors.ts";
import { splitTopLevel } from "./split.ts";

export interface ColumnItem {
  kind: "column";
  name: string;
  alias: string | null;
  cast: string | null;
}

export interface StarItem {
  kind: "star";
}

/** `count()` (or a bare `count` where no such column exists): the row count of that level. */
export interface CountItem {
  kind: "count";
  alias: string | null;
}

export interface EmbedItem {
  kind: "embed";
  /** The embedded table's name as written (`album_entries`). */
  relation: string;
  alias: string | null;
  /** `!fkey_name` or `!column` disambiguation hint. */
  hint: string | null;
  inner: boolean;
  spread: boolean;
  children: SelectItem[];
}

export type SelectItem = ColumnItem | StarItem | EmbedItem | CountItem;

const IDENT = /^[^\s,()!:."]+$|^"[^"]+"$/;
const CAST = /^[a-zA-Z_][a-zA-Z0-9_]*(\[\])?$/;

/**
 * Parses `select=` as postgrest-js sends it (whitespace already removed outside quotes, docs/supabase-behaviour.md#postgrest-requests):
 * `*`, `col`, `alias:col`, `col::type`, `alias:table!hint!inner(…)`, `...table(…)`, `count()`.
 * JSON paths (`data->>key`) and other aggregates are not supported and answer PGRST100.
 */
export function parseSelect(text: string | null): SelectItem[] {
  if (text === null || text.trim() === "") return [{ kind: "star" }];
  return splitTopLevel(text).map((part) => parseItem(part.trim(), text));
}

function parseItem(part: string, whole: string): SelectItem {
  if (part === "*") return { kind: "star" };
  const count = /^(?:([^\s,()!:."]+):)?count\(\)$/.exec(part);
  if (count) return { kind: "count", alias: count[1] ?? null };
  const open = part.indexOf("(");
  if (open >= 0) {
    if (!part.endsWith(")")) throw failed(whole, part);
    return parseEmbed(part.slice(0, open), part.slice(open + 1, -1), whole);
  }
  const [head, cast = null, ...extra] = part.split("::");
  if (extra.length > 0 || (cast !== null && !CAST.test(cast))) throw failed(whole, part);
  const { alias, name } = splitAlias(head, whole);
  if (!IDENT.test(name)) throw failed(whole, part);
  return { kind: "column", name: stripQuotes(name), alias, cast };
}

function parseEmbed(head: string, body: string, whole: string): EmbedItem {
  const spread = head.startsWith("...");
  const { alias, name } = splitAlias(spread ? head.slice(3) : head, whole);
  const [relation, ...marks] = name.split("!");
  if (!IDENT.test(relation)) throw failed(whole, head);
  let hint: string | null = null;
  let inner = false;
  for (const mark of marks) {
    if (mark === "inner") inner = true;
    else if (mark === "left") inner = false;
    else if (hint === null && IDENT.test(mark)) hint = mark;
    else throw failed(whole, head);
  }
  return { kind: "embed", relation: stripQuotes(relation), alias, hint, inner, spread, children: parseSelect(body) };
}

function splitAlias(text: string, whole: string): { alias: string | null; name: string } {
  const colon = text.indexOf(":");
  if (colon < 0) return { alias: null, name: text };
  const alias = text.slice(0, colon);
  if (!IDENT.test(alias)) throw failed(whole, text);
  return { alias: stripQuotes(alias), name: text.slice(colon + 1) };
}

const stripQuotes = (name: string) => (name.startsWith('"') ? name.slice(1, -1) : name);

const failed = (whole: string, part: string) =>
  badQuery(`"failed to parse select parameter (${whole})" (line 1, column ${whole.indexOf(part) + 1})`, `unexpected "${part}"`);
