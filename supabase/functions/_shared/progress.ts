// The progress contract between the album-upload function and the web app (docs/architecture.md#progress-protocol). This file
// has no imports on purpose: the function (Deno) and the app (Next.js) both import it as is.

/** Album lifecycle as stored in `albums.status`. */
export type AlbumStatus =
  | "uploading"
  | "extracting"
  | "ready"
  | "partial"
  | "failed"
  | "interrupted"
  | "cancelled";

/** Entry lifecycle as stored in `album_entries.status`. */
export type EntryStatus = "pending" | "uploaded" | "skipped" | "failed";

/** Private Realtime channel carrying one album's progress; only its owner may join. */
export function albumChannel(albumId: string): string {
  return `album:${albumId}`;
}

export const PROGRESS_EVENT = "progress";
export const STATUS_EVENT = "status";

/** Progress is sent at most this often per album (plus at once for the first and last entry). */
export const PROGRESS_INTERVAL_MS = 250;

/** One entry that changed since the previous `progress` message. Clients merge by `idx`. */
export interface EntryUpdate {
  idx: number;
  name: string;
  /** Storage key under the `photos` bucket, present once the entry is uploaded. */
  path?: string;
  size: number;
  status: EntryStatus;
  /** Human-readable; always present for `skipped` and `failed`. */
  reason?: string;
  /**
   * When an uploaded photo was taken (ISO 8601, UTC), as its row's `taken_at` says
   * (docs/architecture.md#photo-metadata), so a live grid can place it by date. Absent when unknown, and in
   * events from before photos had dates.
   */
  takenAt?: string;
}

/** Cumulative counters, identical to the album row's columns after the same update. */
export interface AlbumCounters {
  total: number;
  uploaded: number;
  skipped: number;
  failed: number;
  bytesDone: number;
  bytesTotal: number;
  status: AlbumStatus;
}

export interface ProgressPayload extends AlbumCounters {
  entries: EntryUpdate[];
}

export interface StatusPayload {
  status: AlbumStatus;
  /** Why the album is `failed`, `partial` or `interrupted`; null otherwise. */
  error: string | null;
}

/** Counters that have not changed their meaning: done = uploaded + skipped + failed. */
export function entriesDone(counters: AlbumCounters): number {
  return counters.uploaded + counters.skipped + counters.failed;
}
