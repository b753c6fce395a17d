import type { ServerResponse } from "node:http";
import { RestError } from "./errors.ts";

/** `Content-Range: <first>-<last>/<total or *>`; an empty page has `*` for the range (docs/supabase-behaviour.md#postgrest-responses). */
export function contentRange(offset: number, rows: number, total: number | null): string {
  const range = rows === 0 ? "*" : `${offset}-${offset + rows - 1}`;
  return `${range}/${total === null ? "*" : total}`;
}

/** `.single()`: exactly one row or 406 PGRST116 (docs/supabase-behaviour.md#postgrest-errors). Thrown inside the transaction so writes roll back. */
export function requireOneRow(rows: number): void {
  if (rows !== 1) {
    throw new RestError(406, "PGRST116", "Cannot coerce the result to a single JSON object", `The result contains ${rows} rows`);
  }
}

/** The array body as Postgres rendered it, or its only element for `.single()`. */
export function rowsBody(body: string, object: boolean): string {
  return object ? JSON.stringify((JSON.parse(body) as unknown[])[0]) : body;
}

export function sendBody(res: ServerResponse, status: number, body: string | null, headers: Record<string, string>, object = false, head = false): void {
  if (body === null) {
    res.writeHead(status, headers).end();
    return;
  }
  const type = object ? "application/vnd.pgrst.object+json; charset=utf-8" : "application/json; charset=utf-8";
  res.writeHead(status, { "Content-Type": type, "Content-Length": String(Buffer.byteLength(body)), ...headers });
  res.end(head ? undefined : body);
}
