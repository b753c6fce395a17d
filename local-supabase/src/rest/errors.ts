import type { ServerResponse } from "node:http";

/** One PostgREST error, rendered by `sendRestError` exactly as docs/supabase-behaviour.md#postgrest-errors describes. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: string | null = null,
    readonly hint: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "RestError";
  }
}

/** Errors that may only mean the schema cache is stale (a table, column or function created since it was read). */
export const SCHEMA_MISS_CODES = new Set(["PGRST200", "PGRST202", "PGRST204", "PGRST205", "42703"]);

export const badQuery = (message: string, details: string | null = null) => new RestError(400, "PGRST100", message, details);

export const tableNotFound = (schema: string, table: string) =>
  new RestError(404, "PGRST205", `Could not find the table '${schema}.${table}' in the schema cache`);

export const columnNotFound = (table: string, column: string) =>
  new RestError(400, "PGRST204", `Could not find the '${column}' column of '${table}' in the schema cache`);

interface PgError {
  code?: string;
  message?: string;
  detail?: string;
  hint?: string;
}

/** SQLSTATE → HTTP status, the table in docs/supabase-behaviour.md#postgrest-errors. */
export function statusForSqlState(code: string, hasJwt: boolean): number {
  if (code === "23505" || code === "23503") return 409;
  if (code === "42501") return hasJwt ? 403 : 401;
  if (code === "42P01" || code === "42883") return 404;
  if (code === "P0001") return 400;
  if (code === "25006") return 405;
  if (code === "22023") return 401; // "role … does not exist": the JWT named a role Postgres lacks.
  if (code.startsWith("08") || code.startsWith("53") || code === "57P01") return 503;
  if (code.startsWith("40") || code.startsWith("XX") || code.startsWith("P0")) return 500;
  const custom = /^PT(\d{3})$/.exec(code);
  if (custom) return Number(custom[1]);
  return 400;
}

/** Turns whatever the handler threw into a RestError; unknown non-Postgres errors stay unknown (500). */
export function toRestError(error: unknown, hasJwt: boolean): RestError {
  if (error instanceof RestError) return error;
  const pg = error as PgError;
  if (error instanceof Error && typeof pg.code === "string" && /^[0-9A-Z]{5}$/.test(pg.code)) {
    return new RestError(statusForSqlState(pg.code, hasJwt), pg.code, pg.message ?? "", pg.detail ?? null, pg.hint ?? null);
  }
  throw error;
}

export function sendRestError(res: ServerResponse, error: RestError): void {
  const body = JSON.stringify({ code: error.code, details: error.details, hint: error.hint, message: error.message });
  res.writeHead(error.status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": String(Buffer.byteLength(body)),
    "Proxy-Status": `PostgREST; error=${error.code}`,
    ...error.headers,
  });
  res.end(body);
}
