import { ERRORS } from "../errors.ts";

/**
 * Where a `list-v2` page ended, as storage-api encodes it in `nextCursor`: base64 of `k:value` lines
 * (`l` the last name, `o` the sort order, `c` the sort column, `a` that column's value on the last
 * entry), empty parts left out. The cursor carries the sort, so a later page keeps the first page's.
 */
export interface ListCursor {
  startAfter: string;
  sortOrder?: string;
  sortColumn?: string;
  sortColumnAfter?: string;
}

const PARTS: [string, keyof ListCursor][] = [
  ["l", "startAfter"],
  ["o", "sortOrder"],
  ["c", "sortColumn"],
  ["a", "sortColumnAfter"],
];

export function encodeListCursor(cursor: ListCursor): string {
  const lines = PARTS.filter(([, field]) => cursor[field]).map(([letter, field]) => `${letter}:${cursor[field]}`);
  return Buffer.from(lines.join("\n")).toString("base64");
}

/** A cursor that is not one of ours is the 400 "Invalid Parameter continuation token". */
export function decodeListCursor(token: string): ListCursor {
  const cursor: ListCursor = { startAfter: "", sortOrder: "asc" };
  for (const line of Buffer.from(token, "base64").toString().split("\n")) {
    const match = /^(\S):(.*)/.exec(line);
    const field = match && PARTS.find(([letter]) => letter === match[1])?.[1];
    if (!match || !field) throw ERRORS.invalidParameter("continuation token");
    cursor[field] = match[2];
  }
  return cursor;
}
