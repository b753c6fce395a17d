// What an extraction job does when its album is deleted under it (docs/architecture.md#deleting-an-album):
// deletion marks the album first, and from then on every database write for it is refused, so a job
// learns at its next write. It then stops scheduling and removes every photo it stored — the deleting
// side removes the photos recorded before the mark, the job those it stored after — so whichever of
// them finishes last, nothing of the album is left in Storage. Several jobs on different workers (one
// per segment) each do the same for their own photos.
import type { PhotoUploader } from "./photo-storage.ts";

/**
 * The album was deleted, or is being deleted, while a job was writing to it: its writes are refused
 * (SQLSTATE PT410 from migration 20261203000100, or a foreign-key violation once the row is gone) or
 * find no album (counters come back null). Retrying cannot help.
 */
export class AlbumGone extends Error {
  constructor(readonly albumId: string, detail: string) {
    super(`album ${albumId} was deleted while it was being extracted (${detail})`);
    this.name = "AlbumGone";
  }
}

/** PostgREST's codes for a write refused because the album is being deleted, and for a vanished parent row. */
const GONE_CODES = new Set(["PT410", "23503"]);

/** True when a PostgREST error from a write for an album means the album is being (or was) deleted. */
export function meansAlbumGone<E extends { code?: string }>(error: E | null | undefined): error is E {
  return !!error && GONE_CODES.has(error.code ?? "");
}

/** The AlbumGone a PostgREST error from a write for `albumId` amounts to, or null when it means something else. */
export function albumGoneFrom(error: { code?: string; message: string } | null, albumId: string, fn: string): AlbumGone | null {
  return meansAlbumGone(error) ? new AlbumGone(albumId, `${fn}: ${error.message}`) : null;
}

/** The keys one job stored, so that all of them can be removed if its album turns out to be deleted. */
export class StoredPhotos {
  readonly #keys: string[] = [];

  add(key: string): void {
    this.#keys.push(key);
  }

  get count(): number {
    return this.#keys.length;
  }

  /**
   * Removes every stored key (call once nothing is in flight) and logs the outcome with the album id;
   * never throws: the job is ending either way.
   */
  async removeAll(uploader: PhotoUploader, albumId: string, log: (message: string) => void): Promise<void> {
    const count = this.#keys.length;
    try {
      await uploader.remove(this.#keys);
      log(`album ${albumId} was deleted during its extraction: stopped, and removed the ${count} photos this job had stored`);
    } catch (error) {
      log(`album ${albumId} was deleted during its extraction: stopped, but removing the ${count} photos this job had stored failed: ${(error as Error).message}`);
    }
  }
}
