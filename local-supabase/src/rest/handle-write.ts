import { buildDelete, buildInsert, buildUpdate, type WriteSql } from "./build-write.ts";
import { findTable, plan, run, type QueryResult, type RestContext } from "./context.ts";
import { RestError } from "./errors.ts";
import { parseQuery } from "./parse-query.ts";
import { appliedPreferences, wantsObject } from "./request-context.ts";
import { contentRange, requireOneRow, rowsBody, sendBody } from "./respond.ts";
import { readBody } from "../shared/http.ts";

type Row = Record<string, unknown>;

/**
 * POST (insert / upsert), PATCH (update) and DELETE. Statuses per docs/supabase-behaviour.md#postgrest-responses: insert 201, PATCH/DELETE 204
 * without representation and 200 with it; the body is returned only for `Prefer: return=representation`.
 */
export async function handleWrite(context: RestContext): Promise<void> {
  const method = context.req.method ?? "";
  const query = parseQuery(context.url.searchParams);
  const representation = context.prefs.return === "representation";
  const options = { representation, count: context.prefs.count !== null, maxRows: context.maxRows };
  const body = method === "DELETE" ? undefined : await readJsonBody(context);
  const write: WriteSql | null = await plan(context, (snapshot) => {
    const table = findTable(snapshot, context.target);
    if (method === "POST") {
      const rows = Array.isArray(body) ? body : [body];
      if (!rows.every(isObject)) throw badBody("All object keys must match");
      const resolution = context.prefs.resolution;
      return buildInsert(snapshot, table, query, rows as Row[], { ...options, resolution, missingDefault: context.prefs.missing === "default" });
    }
    if (method === "PATCH") {
      if (!isObject(body)) throw badBody("Empty or invalid json");
      return buildUpdate(snapshot, table, query, body, options);
    }
    return buildDelete(snapshot, table, query, options);
  });
  const object = wantsObject(context.req);
  const result: QueryResult = write
    ? await run(context, write.sql, write.params, false, (r) => {
        if (object && representation) requireOneRow(affected(r, representation));
      })
    : { rows: [], affectedRows: 0 };
  const n = affected(result, representation);
  const headers: Record<string, string> = { "Content-Range": contentRange(0, 0, options.count ? n : null) };
  const applied = appliedPreferences(context.prefs);
  if (applied) headers["Preference-Applied"] = applied;
  if (!representation) {
    sendBody(context.res, method === "POST" ? 201 : 204, null, headers);
    return;
  }
  const row = result.rows[0] as { body: string; inserted: number | null } | undefined;
  // An upsert that merged into existing rows only (inserted none) answers 200 (docs/supabase-behaviour.md#postgrest-responses).
  const status = method !== "POST" ? 200 : row?.inserted === 0 ? 200 : 201;
  sendBody(context.res, status, row ? rowsBody(row.body, object) : "[]", headers, object);
}

function affected(result: QueryResult, representation: boolean): number {
  const row = result.rows[0] as { n?: number } | undefined;
  if (representation || (row && typeof row.n === "number")) return Number(row?.n ?? 0);
  return result.affectedRows ?? 0;
}

async function readJsonBody(context: RestContext): Promise<unknown> {
  const text = (await readBody(context.req)).toString("utf8");
  if (text.trim() === "") return context.req.method === "POST" ? [] : {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badBody(`Empty or invalid json`, (error as Error).message);
  }
}

const isObject = (value: unknown): value is Row => typeof value === "object" && value !== null && !Array.isArray(value);

const badBody = (message: string, details: string | null = null) => new RestError(400, "PGRST102", message, details);
