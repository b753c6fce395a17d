import { applyRequestSettings, type Database, type DbRequest } from "../db/database.ts";
import type { Caller } from "./token.ts";

/**
 * Realtime Authorization (docs/supabase-behaviour.md#private-channels): RLS on `realtime.messages` decides who may read and write a
 * private topic. Policies only ever see `topic`, `extension` and the JWT — the probes carry nothing else.
 */
export type Extension = "broadcast" | "presence";

export interface ReadPolicies {
  broadcast: boolean;
  presence: boolean;
}

/** Thrown inside a check transaction so PGlite rolls the probe rows back; carries the answer out. */
class Rollback<T> extends Error {
  constructor(readonly result: T) {
    super("rollback");
  }
}

async function rolledBack<T>(run: (stop: (result: T) => never) => Promise<never>): Promise<T> {
  try {
    return await run((result) => {
      throw new Rollback(result);
    });
  } catch (error) {
    if (error instanceof Rollback) return error.result as T;
    throw error;
  }
}

function requestFor(caller: Caller, subTopic: string, headers: DbRequest["headers"]): DbRequest {
  return { role: caller.role, claims: caller.claims, token: caller.token, headers, settings: { "realtime.topic": subTopic } };
}

/**
 * Join/read check: as the privileged owner insert one probe row per extension, switch to the caller
 * and see which probes are visible, then roll everything back. Presence is only probed when enabled.
 */
export async function readPolicies(
  db: Database,
  caller: Caller,
  subTopic: string,
  checkPresence: boolean,
  headers: DbRequest["headers"] = {},
): Promise<ReadPolicies> {
  const extensions: Extension[] = checkPresence ? ["broadcast", "presence"] : ["broadcast"];
  return rolledBack<ReadPolicies>((stop) =>
    db.asSuperuser(async (tx) => {
      const probes = new Map<string, Extension>();
      for (const extension of extensions) {
        const { rows } = await tx.query<{ id: string }>(
          "insert into realtime.messages (topic, extension) values ($1, $2) returning id",
          [subTopic, extension],
        );
        probes.set(rows[0].id, extension);
      }
      await applyRequestSettings(tx, requestFor(caller, subTopic, headers));
      const { rows } = await tx.query<{ id: string }>("select id from realtime.messages where id = any($1::uuid[])", [[...probes.keys()]]);
      const visible = new Set(rows.map((row) => probes.get(row.id)));
      return stop({ broadcast: visible.has("broadcast"), presence: visible.has("presence") });
    }),
  );
}

/** Write check: the caller INSERTs a bare probe; `insufficient_privilege` (RLS refusal) means no. */
export async function canWrite(
  db: Database,
  caller: Caller,
  subTopic: string,
  extension: Extension,
  headers: DbRequest["headers"] = {},
): Promise<boolean> {
  return rolledBack<boolean>((stop) =>
    db.asRequest(requestFor(caller, subTopic, headers), async (tx) => {
      try {
        await tx.query("insert into realtime.messages (topic, extension) values ($1, $2)", [subTopic, extension]);
      } catch (error) {
        if ((error as { code?: string }).code === "42501") return stop(false);
        throw error;
      }
      return stop(true);
    }),
  );
}
