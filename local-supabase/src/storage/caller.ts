import type { IncomingMessage } from "node:http";
import type { Results } from "@electric-sql/pglite";
import type { Database, Tx } from "../db/database.ts";
import { verifyJwt, type JwtClaims, type VerifyKeys } from "../shared/jwt.ts";
import { ERRORS, fromPgError } from "./errors.ts";
import { joseMessage } from "./jwt-errors.ts";

/** Who is asking, as storage-api's jwt plugin decides it (docs/supabase-behaviour.md#storage-authorisation). */
export interface Caller {
  role: string;
  claims: JwtClaims | null;
  token: string | null;
  /** A valid JWT was presented (the anon key counts). Private buckets need this for GET (docs/supabase-behaviour.md#downloads-and-info). */
  isAuthenticated: boolean;
  /** JWT `sub`; becomes `owner_id` (and `owner` when it is a UUID). */
  owner?: string;
}

/** No JWT, or (on routes that allow it) a bad one: Postgres role `anon`, no claims. */
export const ANONYMOUS: Caller = { role: "anon", claims: null, token: null, isAuthenticated: false };

/**
 * Routes flagged `allowInvalidJwt` (GET/HEAD object, GET info) treat a missing or bad JWT as anon;
 * everywhere else it is a 403-coded AccessDenied carrying the JWT library's message.
 */
export async function resolveCaller(bearer: string | null, allowInvalidJwt: boolean, keys: VerifyKeys): Promise<Caller> {
  if (!bearer && allowInvalidJwt) return ANONYMOUS;
  try {
    const claims = await verifyJwt(bearer ?? "", keys);
    const owner = typeof claims.sub === "string" ? claims.sub : undefined;
    return { role: typeof claims.role === "string" ? claims.role : "anon", claims, token: bearer, isAuthenticated: true, owner };
  } catch (error) {
    if (allowInvalidJwt) return ANONYMOUS;
    throw ERRORS.accessDenied(joseMessage(error));
  }
}

export function requireServiceRole(caller: Caller): void {
  if (!caller.isAuthenticated) throw ERRORS.roleDenied("Access denied: JWT is not authenticated");
  if (caller.role !== "service_role") throw ERRORS.roleDenied("Access denied: Invalid role");
}

export interface Scope {
  db: Database;
  caller: Caller;
  req: IncomingMessage;
  /** The request path as storage-api sees it (after the gateway strips `/storage/v1`). */
  path: string;
  operation: string;
}

/**
 * One transaction as the caller, with the settings storage-api sets (docs/supabase-behaviour.md#storage-authorisation), so RLS on storage.* decides.
 * Postgres errors leave here already mapped to the storage vocabulary.
 */
export async function asCaller<T>(scope: Scope, work: (tx: Tx) => Promise<T>, options: { allowDelete?: boolean } = {}): Promise<T> {
  const { caller, req } = scope;
  try {
    return await scope.db.asRequest(
      {
        role: caller.role,
        claims: caller.claims,
        token: caller.token,
        headers: req.headers,
        method: req.method,
        path: scope.path,
        settings: {
          "storage.operation": scope.operation,
          ...(options.allowDelete ? { "storage.allow_delete_query": "true" } : {}),
        },
      },
      work,
    );
  } catch (error) {
    throw fromPgError(error);
  }
}

/** Bookkeeping as the database owner: bucket lookups, writing the final object row (docs/supabase-behaviour.md#storage-authorisation). */
export async function asSuperuser<T>(scope: Scope, work: (tx: Tx) => Promise<T>, options: { allowDelete?: boolean } = {}): Promise<T> {
  try {
    return await scope.db.asSuperuser(work, {
      "storage.operation": scope.operation,
      ...(options.allowDelete ? { "storage.allow_delete_query": "true" } : {}),
    });
  } catch (error) {
    throw fromPgError(error);
  }
}

/**
 * One read-only statement as the database owner, in its own implicit transaction: a bucket lookup
 * (docs/supabase-behaviour.md#storage-authorisation) fires no policy or trigger, so the settings `asSuperuser` applies would change nothing, and
 * skipping them and BEGIN/COMMIT saves most of its PGlite round trips.
 */
export async function superuserStatement<T>(scope: Scope, sql: string, params: unknown[]): Promise<Results<T>> {
  try {
    return await scope.db.pg.query<T>(sql, params);
  } catch (error) {
    throw fromPgError(error);
  }
}

const ROLLBACK = Symbol("permission-test-rollback");

/** Runs `work` as the caller and always rolls back: "could this caller do it?" (storage-api's testPermission). */
export async function testPermission(scope: Scope, work: (tx: Tx) => Promise<unknown>): Promise<void> {
  try {
    await asCaller(scope, async (tx) => {
      await work(tx);
      throw ROLLBACK;
    });
  } catch (error) {
    if (error !== ROLLBACK) throw error;
  }
}
