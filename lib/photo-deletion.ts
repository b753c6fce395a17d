/**
 * Deleting some photos of an album (docs/architecture.md#deleting-photos):
 * 1. `delete_album_photos` deletes their rows, recomputes the album's counters and notes each object
 *    still to remove (`photo_removals`), all in one SQL transaction — from then on no row points at an
 *    object that may be missing, so the album never shows a broken image;
 * 2. the noted objects are removed from Storage (at most 1000 keys a request) and their notes cleared.
 * Step 2 also picks up objects an earlier deletion noted but could not remove, so a deletion that
 * failed half-way is finished by deleting again (or by `finishPhotoRemovals`).
 * Plain module over any supabase-js client signed in as the owner (server action, browser or tests).
 */
import type { SupabaseClient } from "@supabase/supabase-js";
import type { Database } from "@/lib/database.types";
import { PHOTOS_BUCKET } from "@/lib/albums";

export type PhotoDeletionClient = SupabaseClient<Database>;

export type PhotoDeletionResult =
  | { ok: true; deleted: number; removedObjects: number }
  | { ok: false; reason: "busy" | "not_found" | "error"; message: string };

/** Storage's `remove` takes at most 1000 keys per request. */
export const REMOVE_BATCH = 1000;
/** PostgREST answers at most 1000 rows a request; pending removals are read page by page. */
const READ_PAGE = 1000;

type DeleteAnswer =
  | { result: "deleted"; deleted: number; paths: string[] }
  | { result: "busy" }
  | { result: "not_found" };

/** Deletes entries `indexes` of album `albumId` (only uploaded photos are deleted; others are ignored). */
export async function deletePhotos(client: PhotoDeletionClient, albumId: string, indexes: readonly number[]): Promise<PhotoDeletionResult> {
  const answer = await client.rpc("delete_album_photos", { p_album: albumId, p_idx: [...indexes] });
  if (answer.error) return { ok: false, reason: "error", message: `Could not delete the photos: ${answer.error.message}` };
  const data = answer.data as DeleteAnswer;
  if (data.result === "not_found") return { ok: false, reason: "not_found", message: "This album no longer exists." };
  if (data.result === "busy") {
    return { ok: false, reason: "busy", message: "Photos are still being added to this album. Delete once the upload has finished." };
  }
  try {
    const removedObjects = await finishPhotoRemovals(client, albumId);
    return { ok: true, deleted: data.deleted, removedObjects };
  } catch (error) {
    // The rows are gone already (the photos no longer show); only Storage still holds some of them.
    return {
      ok: false, reason: "error",
      message: `${data.deleted} photos were deleted, but some of their files are still stored (${(error as Error).message}). Delete again to remove them.`,
    };
  }
}

/**
 * Removes every object noted for removal in album `albumId` and clears its notes; answers how many
 * objects Storage removed. A key Storage does not remove (it skips such keys without an error) keeps its
 * note and is reported, unless it is already gone — then its note is simply cleared.
 */
export async function finishPhotoRemovals(client: PhotoDeletionClient, albumId: string): Promise<number> {
  const paths = await pendingRemovals(client, albumId);
  const bucket = client.storage.from(PHOTOS_BUCKET);
  let removed = 0;
  for (let i = 0; i < paths.length; i += REMOVE_BATCH) {
    const batch = paths.slice(i, i + REMOVE_BATCH);
    const result = await bucket.remove(batch);
    if (result.error) throw new Error(`removing photos failed: ${result.error.message}`);
    const gone = new Set((result.data ?? []).map((row) => row.name));
    removed += gone.size;
    // A key not removed is either already gone (an earlier attempt removed it before failing) or refused.
    const skipped = batch.filter((path) => !gone.has(path));
    const stillThere = skipped.length > 0 ? await existing(client, skipped) : [];
    if (stillThere.length > 0) throw new Error(`Storage did not remove ${stillThere.length} photos, such as ${stillThere[0]}`);
    const cleared = await client.from("photo_removals").delete().eq("album_id", albumId).in("path", batch);
    if (cleared.error) throw new Error(`clearing removed photos failed: ${cleared.error.message}`);
  }
  return removed;
}

async function pendingRemovals(client: PhotoDeletionClient, albumId: string): Promise<string[]> {
  const paths: string[] = [];
  for (let from = 0; ; from += READ_PAGE) {
    const { data, error } = await client.from("photo_removals").select("path").eq("album_id", albumId)
      .order("path").range(from, from + READ_PAGE - 1);
    if (error) throw new Error(`reading the photos to remove failed: ${error.message}`);
    paths.push(...(data ?? []).map((row) => row.path));
    if ((data ?? []).length < READ_PAGE) return paths;
  }
}

/** Which of `paths` Storage still holds (listed folder by folder, by exact name). */
async function existing(client: PhotoDeletionClient, paths: string[]): Promise<string[]> {
  const bucket = client.storage.from(PHOTOS_BUCKET);
  const found: string[] = [];
  for (const path of paths) {
    const slash = path.lastIndexOf("/");
    const { data, error } = await bucket.list(path.slice(0, slash), { search: path.slice(slash + 1), limit: 100 });
    if (error) throw new Error(`checking ${path} failed: ${error.message}`);
    if ((data ?? []).some((item) => item.id !== null && item.name === path.slice(slash + 1))) found.push(path);
  }
  return found;
}
