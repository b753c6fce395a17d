import { buildCall } from "./build-call.ts";
import { plan, run, type RestContext } from "./context.ts";
import { RestError } from "./errors.ts";
import { sendRows, type ReadRow } from "./handle-read.ts";
import { wantsObject } from "./request-context.ts";
import { contentRange, requireOneRow, sendBody } from "./respond.ts";
import { readBody } from "../shared/http.ts";

/**
 * `POST /rpc/<fn>` with named JSON arguments, or GET/HEAD with arguments as query parameters (docs/supabase-behaviour.md#postgrest-requests).
 * `void` → 204; a scalar or single row → 200 with that value; a set → 200 with an array (docs/supabase-behaviour.md#postgrest-responses).
 */
export async function handleRpc(context: RestContext, name: string): Promise<void> {
  const get = context.req.method === "GET" || context.req.method === "HEAD";
  const body = get ? null : await bodyArgs(context);
  const options = { maxRows: context.maxRows, count: context.prefs.count !== null };
  const call = await plan(context, (snapshot) => buildCall(snapshot, name, body, context.url.searchParams, options));
  const object = wantsObject(context.req);
  // PostgREST runs POST calls read-write only for VOLATILE functions, GET always read-only (docs/supabase-behaviour.md#request-role-and-claims).
  const result = await run(context, call.sql, call.params, get || !call.fn.volatile, (r) => {
    if (object && call.fn.returnsSet) requireOneRow(Number((r.rows[0] as { n: number }).n));
  });
  const row = result.rows[0] as unknown as ReadRow | undefined;
  if (call.fn.returnsVoid || !row) {
    sendBody(context.res, 204, null, { "Content-Range": "*/*" });
    return;
  }
  if (call.query && call.fn.returnsSet) return sendRows(context, call.query, row);
  const values = JSON.parse(row.body) as unknown[];
  const single = !call.fn.returnsSet || object;
  const headers = { "Content-Range": contentRange(0, single ? 1 : row.n, null) };
  sendBody(context.res, 200, single ? JSON.stringify(values[0] ?? null) : row.body, headers, object, context.req.method === "HEAD");
}

async function bodyArgs(context: RestContext): Promise<Record<string, unknown>> {
  const text = (await readBody(context.req)).toString("utf8");
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RestError(400, "PGRST102", "Empty or invalid json", (error as Error).message);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new RestError(400, "PGRST102", "Empty or invalid json", "RPC arguments must be a JSON object");
  }
  return value as Record<string, unknown>;
}
