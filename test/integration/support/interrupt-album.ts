// Puts a finished album back into the state a worker shut down mid-extraction leaves (job.ts
// `interrupt`): status `interrupted` with the reason people read, some rows `pending` again. Forcing a
// real interrupt at a chosen entry is not reliable, so the state is written with SQL as the service role.
import assert from "node:assert/strict";
import type { SupabaseClient } from "@supabase/supabase-js";
import { SERVICE_ROLE_KEY, type TestPlatform } from "../../../local-supabase/test/support/platform.ts";
import { verifyJwt } from "../../../local-supabase/src/shared/jwt.ts";
import type { AlbumRow } from "./album-run.ts";

/** The words interrupt.ts gives a worker that stopped for an unnamed reason. */
export const INTERRUPTED =
  "The server stopped while extracting this archive. Drop the same zip file on the album again to continue where it stopped.";

export interface InterruptAt {
  /** Entry indexes that had not been recorded when the worker stopped. */
  pending: number[];
  /** Of those, the ones whose object had already reached Storage (the upload finished, the row did not). */
  keepObjects: number[];
}

export async function interruptAlbum(platform: TestPlatform, service: SupabaseClient, album: AlbumRow, at: InterruptAt): Promise<void> {
  const { data: rows, error } = await service.from("album_entries").select("idx, path").eq("album_id", album.id).in("idx", at.pending);
  assert.equal(error, null);
  const gone = rows!.filter((r) => !at.keepObjects.includes(r.idx)).map((r) => r.path as string);
  if (gone.length) {
    const removed = await service.storage.from("photos").remove(gone);
    assert.equal(removed.error, null);
    assert.equal(removed.data?.length, gone.length);
  }
  await platform.platform.db.asRequest({ role: "service_role", claims: verifyJwt(SERVICE_ROLE_KEY), token: SERVICE_ROLE_KEY }, async (tx) => {
    // A pending row keeps its planned key and declared size; only the result columns are unset.
    await tx.query(
      `update public.album_entries set status = 'pending', reason = null, reason_code = null, content_type = null
        where album_id = $1 and idx = any($2)`,
      [album.id, at.pending],
    );
    await tx.query("select public.refresh_album_counters($1)", [album.id]);
    await tx.query("update public.albums set status = 'interrupted', error = $2 where id = $1", [album.id, INTERRUPTED]);
  });
}
