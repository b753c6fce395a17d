// Puts a finished album back into the state a worker shut down mid-extraction leaves: after
// `beforeunload` (job.ts `interrupt`), status `interrupted` with the reason people read; killed without
// warning, still `extracting` with its last write some time ago. Either way some rows are `pending`
// again. Forcing a real stop at a chosen entry is not reliable, so the state is written with SQL.
import assert from "node:assert/strict";
import type { SupabaseClient } from "@supabase/supabase-js";
import { SERVICE_ROLE_KEY, type TestPlatform } from "../../../local-supabase/test/support/platform.ts";
import { LEGACY_ONLY, verifyJwt } from "../../../local-supabase/src/shared/jwt.ts";
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
  await rewind(platform, service, album, at, "interrupted", INTERRUPTED);
}

/**
 * The state of a worker that died without a word (a crash, a platform restart, a stop too quick for
 * `beforeunload`): still `extracting`, with no error, its last write `lastWriteSecondsAgo` ago.
 */
export async function abandonExtraction(platform: TestPlatform, service: SupabaseClient, album: AlbumRow, at: InterruptAt, lastWriteSecondsAgo: number): Promise<void> {
  await rewind(platform, service, album, at, "extracting", null);
  await setLastWrite(platform, album.id, lastWriteSecondsAgo);
}

/**
 * Moves the album's last write (`updated_at`) into the past, as time passing would. The `albums_touch`
 * trigger stamps every update with now(), so triggers are off for this one transaction (superuser only).
 */
export async function setLastWrite(platform: TestPlatform, albumId: string, secondsAgo: number): Promise<void> {
  await platform.platform.db.asSuperuser(async (tx) => {
    await tx.query("set local session_replication_role = replica");
    await tx.query("update public.albums set updated_at = now() - make_interval(secs => $2) where id = $1", [albumId, secondsAgo]);
  });
}

async function rewind(platform: TestPlatform, service: SupabaseClient, album: AlbumRow, at: InterruptAt, status: AlbumRow["status"], reason: string | null): Promise<void> {
  const { data: rows, error } = await service.from("album_entries").select("idx, path").eq("album_id", album.id).in("idx", at.pending);
  assert.equal(error, null);
  const gone = rows!.filter((r) => !at.keepObjects.includes(r.idx)).map((r) => r.path as string);
  if (gone.length) {
    const removed = await service.storage.from("photos").remove(gone);
    assert.equal(removed.error, null);
    assert.equal(removed.data?.length, gone.length);
  }
  await platform.platform.db.asRequest({ role: "service_role", claims: await verifyJwt(SERVICE_ROLE_KEY, LEGACY_ONLY), token: SERVICE_ROLE_KEY }, async (tx) => {
    // A pending row keeps its planned key and declared size; only the result columns are unset.
    await tx.query(
      `update public.album_entries set status = 'pending', reason = null, reason_code = null, content_type = null
        where album_id = $1 and idx = any($2)`,
      [album.id, at.pending],
    );
    await tx.query("select public.refresh_album_counters($1)", [album.id]);
    await tx.query("update public.albums set status = $2, error = $3 where id = $1", [album.id, status, reason]);
  });
}
