import type { IncomingMessage, ServerResponse } from "node:http";
import type { Database, DbRequest, Tx } from "../db/database.ts";
import { SCHEMA_MISS_CODES, RestError, tableNotFound } from "./errors.ts";
import type { Preferences } from "./request-context.ts";
import type { SchemaCache, SchemaSnapshot, Table } from "./schema-cache.ts";

/** What every method handler receives: the parsed request and the means to plan and run it. */
export interface RestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The path after `/rest/v1/`, decoded: `albums` or `rpc/my_fn`. */
  target: string;
  schema: string;
  request: DbRequest;
  prefs: Preferences;
  maxRows: number;
  db: Database;
  cache: SchemaCache;
}

/**
 * Plans a query against the schema cache. A miss (unknown table, column, relationship or function) may
 * only mean the cache predates a newer table, so the snapshot is reloaded once before the error stands.
 */
export async function plan<T>(context: RestContext, build: (snapshot: SchemaSnapshot) => T): Promise<T> {
  const first = await context.cache.get(context.schema);
  try {
    return build(first.snapshot);
  } catch (error) {
    if (first.reloaded || !(error instanceof RestError) || !SCHEMA_MISS_CODES.has(error.code)) throw error;
    return build((await context.cache.get(context.schema, true)).snapshot);
  }
}

export function findTable(snapshot: SchemaSnapshot, name: string): Table {
  const table = snapshot.tables.get(name);
  if (!table) throw tableNotFound(snapshot.schema, name);
  return table;
}

export interface QueryResult {
  rows: Record<string, unknown>[];
  affectedRows?: number;
}

/**
 * One request = one transaction as the caller (docs/supabase-behaviour.md#request-role-and-claims). Reads are read-only, as PostgREST makes them, so
 * a volatile function called from GET fails with 25006 → 405. `check` runs inside the transaction:
 * throwing there (e.g. `.single()` on two rows) rolls the write back.
 */
export function run(context: RestContext, sql: string, params: unknown[], readOnly: boolean, check?: (result: QueryResult) => void): Promise<QueryResult> {
  return context.db.asRequest(context.request, async (tx: Tx) => {
    if (readOnly) await tx.query("set transaction read only");
    const result = (await tx.query(sql, params)) as QueryResult;
    check?.(result);
    return result;
  });
}
