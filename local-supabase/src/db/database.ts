import { PGlite, type Transaction } from "@electric-sql/pglite";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import type { JwtClaims } from "../shared/jwt.ts";
import { applyMigrations } from "./migrate.ts";
import { readSnapshot, snapshotPath, writeSnapshot } from "./snapshot.ts";

export type Tx = Transaction;

/** Who a request acts as, and the request facts policies may read (docs/supabase-behaviour.md#storage-authorisation, #request-role-and-claims, #private-channels). */
export interface DbRequest {
  /** Postgres role from the JWT `role` claim; `anon` when there is no JWT. */
  role: string;
  claims: JwtClaims | null;
  /** The raw JWT, for `request.jwt`. */
  token?: string | null;
  headers?: Record<string, string | string[] | undefined>;
  method?: string;
  path?: string;
  /** Extra transaction-local settings, e.g. `storage.operation` or `realtime.topic`. */
  settings?: Record<string, string>;
}

export interface OpenOptions {
  /** A directory to persist the database in; omitted means in memory. */
  dataDir?: string;
  migrationsDir: string;
  log?: (line: string) => void;
}

const BOOTSTRAP_SQL = readFileSync(new URL("./bootstrap.sql", import.meta.url), "utf8");

/**
 * PGlite has one connection, so every request is one transaction queued behind the others. Each
 * transaction first sets the role and JWT claims, so Postgres RLS makes every access decision and no
 * rule is re-implemented in JavaScript.
 */
export class Database {
  private constructor(readonly pg: PGlite) {}

  static async open(options: OpenOptions): Promise<Database> {
    if (!options.dataDir) return Database.openInMemory(options);
    mkdirSync(options.dataDir, { recursive: true });
    const fresh = !existsSync(`${options.dataDir}/PG_VERSION`);
    const pg = await PGlite.create(`file://${options.dataDir}`);
    if (fresh) await pg.exec(BOOTSTRAP_SQL);
    const db = new Database(pg);
    await applyMigrations(db, options.migrationsDir, options.log);
    return db;
  }

  private static async openInMemory(options: OpenOptions): Promise<Database> {
    const snapshot = snapshotPath(BOOTSTRAP_SQL, options.migrationsDir);
    const dump = readSnapshot(snapshot);
    const pg = await PGlite.create(dump ? { loadDataDir: dump } : {});
    const db = new Database(pg);
    if (dump) return db;
    await pg.exec(BOOTSTRAP_SQL);
    await applyMigrations(db, options.migrationsDir, options.log);
    await writeSnapshot(snapshot, await pg.dumpDataDir("none"));
    return db;
  }

  /** Runs `work` as the caller: role, claims and request settings are transaction-local. */
  async asRequest<T>(request: DbRequest, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.pg.transaction(async (tx) => {
      await applyRequestSettings(tx, request);
      return work(tx);
    });
  }

  /** Runs `work` as the database owner (bypasses RLS) — for bookkeeping the services do themselves. */
  async asSuperuser<T>(work: (tx: Tx) => Promise<T>, settings: Record<string, string> = {}): Promise<T> {
    return this.pg.transaction(async (tx) => {
      const pairs = Object.entries(settings);
      if (pairs.length > 0) await setLocal(tx, pairs);
      return work(tx);
    });
  }

  async close(): Promise<void> {
    await this.pg.close();
  }
}

export async function applyRequestSettings(tx: Tx, request: DbRequest): Promise<void> {
  const claims: JwtClaims = { ...(request.claims ?? {}), role: request.role };
  const headers = Object.fromEntries(
    Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value.join(", ") : value]),
  );
  const settings: Record<string, string> = {
    search_path: "public, extensions",
    "request.jwt.claims": JSON.stringify(claims),
    "request.jwt.claim.sub": typeof claims.sub === "string" ? claims.sub : "",
    "request.jwt.claim.role": request.role,
    "request.jwt.claim.email": typeof claims.email === "string" ? claims.email : "",
    "request.jwt": request.token ?? "",
    "request.headers": JSON.stringify(headers),
    "request.method": request.method ?? "",
    "request.path": request.path ?? "",
    ...request.settings,
  };
  // The role goes last, so a role that does not exist fails with Postgres' own 22023 error (docs/supabase-behaviour.md#postgrest-errors).
  await setLocal(tx, [...Object.entries(settings), ["role", request.role]]);
}

/**
 * Transaction-local settings, applied in order by one statement: every statement costs PGlite several
 * protocol round trips (parse, describe, bind, execute, sync), which add up on small requests.
 */
async function setLocal(tx: Tx, pairs: [string, string][]): Promise<void> {
  const calls = pairs.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(", ");
  await tx.query(`select ${calls}`, pairs.flat());
}
