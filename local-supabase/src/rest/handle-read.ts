import { buildRead } from "./build-read.ts";
import { findTable, plan, run, type RestContext } from "./context.ts";
import { RestError } from "./errors.ts";
import { parseQuery, type ParsedQuery } from "./parse-query.ts";
import { wantsObject } from "./request-context.ts";
import { contentRange, requireOneRow, rowsBody, sendBody } from "./respond.ts";

export interface ReadRow {
  body: string;
  n: number;
  total?: number;
}

/** GET / HEAD on a table or view. */
export async function handleRead(context: RestContext): Promise<void> {
  const query = parseQuery(context.url.searchParams);
  const count = context.prefs.count !== null;
  const read = await plan(context, (snapshot) =>
    buildRead(snapshot, findTable(snapshot, context.target), query, { maxRows: context.maxRows, count }),
  );
  const result = await run(context, read.sql, read.params, true);
  sendRows(context, query, result.rows[0] as unknown as ReadRow);
}

/** Rows of a read (or of a function returning table rows): 200, or 206 for a counted partial page (docs/supabase-behaviour.md#postgrest-responses). */
export function sendRows(context: RestContext, query: ParsedQuery, row: ReadRow): void {
  const object = wantsObject(context.req);
  const offset = query.levels.get("")?.offset ?? 0;
  const total = context.prefs.count !== null ? (row.total ?? null) : null;
  if (total !== null && offset > 0 && offset >= total && row.n === 0) {
    throw new RestError(416, "PGRST103", "Requested range not satisfiable", `An offset of ${offset} was requested, but there are only ${total} rows.`, null, {
      "Content-Range": `*/${total}`,
    });
  }
  if (object) requireOneRow(row.n);
  const partial = total !== null && (offset > 0 || offset + row.n < total);
  const headers: Record<string, string> = { "Content-Range": contentRange(offset, row.n, total) };
  if (context.prefs.count) headers["Preference-Applied"] = `count=${context.prefs.count}`;
  sendBody(context.res, partial ? 206 : 200, rowsBody(row.body, object), headers, object, context.req.method === "HEAD");
}
