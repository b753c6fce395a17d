/**
 * Deleting an album so that nothing of it is left, even while its photos are still being extracted
 * (docs/architecture.md#deleting-an-album):
 * 1. mark it (`begin_album_deletion`): every extraction job writing to it stops at its next database
 *    write and removes the photos it had not recorded yet;
 * 2. remove every object under `<owner>/<album>/` in the photos bucket, whatever the rows say — listed
 *    by full key, page by page (storage-walk.ts), so folders differing only in case are all emptied;
 * 3. delete the row (its entries go with it).
 * Each step may be repeated, so a deletion that stopped half-way is finished by running it again.
 * Plain module over any supabase-js client (server action or tests); album-deletion.test.ts drives it.
 */
import type { SupabaseClient } from "@supabase/supabase-js";
import type { Database } from "@/lib/database.types";
import { PAGE_ROWS, PHOTOS_BUCKET } from "@/lib/albums";
import { objectPagesUnder } from "@/lib/storage-walk";

/** Any supabase-js client signed in as the album's owner (album-deletion.test.ts passes a fake one). */
export type DeletionClient = SupabaseClient<Database>;

export type DeletionResult = { ok: true; removedPhotos: number } | { ok: false; message: string };

/** Storage's `remove` takes at most 1000 keys per request; `list` and `listV2` return at most 1000 here. */
export const STORAGE_PAGE = 1000;
/**
 * Passes over the prefix before giving up. A job that has not yet learnt of the mark may still store a
 * photo between two passes (it removes that photo itself once it learns); more than a few passes mean
 * something keeps refusing removal.
 */
const MAX_PASSES = 5;

class DeletionFailed extends Error {}

/** Deletes album `albumId` of user `ownerId` (the signed-in user: RLS lets them see only their own). */
export async function deleteAlbumCompletely(client: DeletionClient, ownerId: string, albumId: string): Promise<DeletionResult> {
  const marked = await client.rpc("begin_album_deletion", { p_album: albumId });
  if (marked.error) return { ok: false, message: `Could not delete the album: ${marked.error.message}` };
  // `not_found` is a deletion already finished, or one whose row went first: the prefix is still
  // emptied, since objects are what Storage counts against the owner.
  let removed = 0;
  try {
    for (let pass = 1; ; pass++) {
      const count = await emptyFolder(client, `${ownerId}/${albumId}`);
      removed += count;
      if (count === 0) break;
      if (pass === MAX_PASSES) throw new DeletionFailed("photos keep appearing in the album's folder");
    }
  } catch (error) {
    const reason = error instanceof DeletionFailed ? error.message : (error as Error).message;
    return { ok: false, message: `Could not delete all of the album's photos (${reason}). Try deleting it again.` };
  }
  const { error } = await client.from("albums").delete().eq("id", albumId);
  if (error) return { ok: false, message: `The photos are deleted, but the album could not be: ${error.message}. Try deleting it again.` };
  return { ok: true, removedPhotos: removed };
}

/**
 * Empties the folders under `<owner>/` that belong to no album: photos left behind by a cleanup that
 * could not finish after its album's row was gone, or by deletions made before deletion stopped the
 * extraction first. A row is created before any of its album's photos and deleted after all of them,
 * so a folder without a row is an orphan. Folders are listed before the rows are read, so an album
 * created meanwhile is seen. Answers how many objects were removed.
 */
export async function removeOrphanedFolders(client: DeletionClient, ownerId: string): Promise<number> {
  const bucket = client.storage.from(PHOTOS_BUCKET);
  const folders: string[] = [];
  for (let offset = 0; ; offset += STORAGE_PAGE) {
    const { data, error } = await bucket.list(ownerId, { limit: STORAGE_PAGE, offset, sortBy: { column: "name", order: "asc" } });
    if (error) throw new DeletionFailed(`listing ${ownerId} failed: ${error.message}`);
    folders.push(...(data ?? []).filter((item) => item.id === null).map((item) => item.name));
    if ((data ?? []).length < STORAGE_PAGE) break;
  }
  if (folders.length === 0) return 0;
  const albums = new Set<string>();
  for (let from = 0; ; from += PAGE_ROWS) {
    const { data, error } = await client.from("albums").select("id").order("id").range(from, from + PAGE_ROWS - 1);
    if (error) throw new DeletionFailed(`reading the albums failed: ${error.message}`);
    for (const row of data ?? []) albums.add(row.id);
    if ((data ?? []).length < PAGE_ROWS) break;
  }
  let removed = 0;
  for (const folder of folders) if (!albums.has(folder)) removed += await emptyFolder(client, `${ownerId}/${folder}`);
  return removed;
}

/** Removes every object under `folder` (at any depth); answers how many were removed. */
async function emptyFolder(client: DeletionClient, folder: string): Promise<number> {
  const bucket = client.storage.from(PHOTOS_BUCKET);
  let removed = 0;
  // Storage skips, without an error, keys it does not remove. A key gone meanwhile (a stopping job
  // removes its own photos too) is fine; one that is listed again after a removal was refused is stuck.
  const notRemoved = new Set<string>();
  for (;;) {
    let refused = 0;
    for await (const page of objectPagesUnder(bucket, folder)) {
      const keys = page.map((item) => item.key);
      const stuck = keys.filter((key) => notRemoved.has(key));
      if (stuck.length > 0) throw new DeletionFailed(`Storage did not remove ${stuck.length} of the photos, such as ${stuck[0]}`);
      for (let i = 0; i < keys.length; i += STORAGE_PAGE) {
        const batch = keys.slice(i, i + STORAGE_PAGE);
        const result = await bucket.remove(batch);
        if (result.error) throw new DeletionFailed(`removing photos failed: ${result.error.message}`);
        const gone = new Set((result.data ?? []).map((row) => row.name));
        for (const key of batch.filter((key) => !gone.has(key))) {
          notRemoved.add(key);
          refused++;
        }
        removed += gone.size;
      }
    }
    // After a removal that skipped keys, one more walk tells stuck keys from keys gone meanwhile.
    if (refused === 0) return removed;
  }
}
