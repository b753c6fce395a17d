// Database writes of the album-upload function, through PostgREST RPC with the service role. Each
// call is one transaction that also recomputes the album's counters (migration 20261127000100); when a
// job counts as dead is migration 20261127000200's.
import type { SupabaseClient } from "@supabase/supabase-js";
import type { AlbumCounters, AlbumStatus, EntryStatus } from "../_shared/progress.ts";
import { quotaFigures, storageQuotaMessage } from "../_shared/storage-quota.ts";
import { UploadProblem } from "../_shared/upload-protocol.ts";
import { AlbumGone, meansAlbumGone } from "./deleted-album.ts";
import type { PhotoMetadata } from "./photo-metadata.ts";

export { AlbumGone };

/** Machine-readable reason codes stored beside the human-readable reason. */
export type ReasonCode =
  | "junk" | "symlink" | "not_photo" | "nested_archive" | "encrypted" | "too_large" | "ratio"
  | "budget" | "overlap" | "damaged" | "upload_failed";

export interface EntryRow {
  idx: number;
  name: string;
  path: string | null;
  size: number;
  status: EntryStatus;
  reason: string | null;
  reason_code: ReasonCode | null;
}

/** An entry's outcome; an uploaded photo also carries what its first bytes said (photo-metadata.ts). */
export interface EntryResult extends EntryRow, Partial<PhotoMetadata> {
  status: Exclude<EntryStatus, "pending">;
  content_type: string | null;
}

export type ClaimResult = "claimed" | "not_found" | "wrong_status" | "different_archive";

export interface FinishResult extends AlbumCounters {
  error: string | null;
}

export interface AlbumStore {
  claim(albumId: string, fingerprint: string, bytes: number): Promise<ClaimResult>;
  /**
   * Seconds until an `extracting` album's job counts as dead (0: it does, and the album can be claimed
   * again); null when the album is not `extracting`.
   */
  staleIn(albumId: string): Promise<number | null>;
  /** The album's counters as its rows stand. */
  counters(albumId: string): Promise<AlbumCounters>;
  insertEntries(albumId: string, rows: EntryRow[]): Promise<AlbumCounters>;
  unfinishedIndexes(albumId: string): Promise<number[]>;
  recordResults(albumId: string, results: EntryResult[]): Promise<AlbumCounters>;
  setStatus(albumId: string, status: AlbumStatus, error: string | null): Promise<AlbumCounters>;
  finish(albumId: string): Promise<FinishResult>;
  /**
   * The running job's sign of life: writes the `extracting` album so it does not count as abandoned
   * (migration 20261203001000). False when the album is not `extracting` any more.
   */
  heartbeat(albumId: string): Promise<boolean>;
}

export function supabaseAlbumStore(service: SupabaseClient): AlbumStore {
  async function call<T>(fn: string, args: Record<string, unknown>): Promise<T> {
    const { data, error } = await service.rpc(fn, args);
    if (meansAlbumGone(error) && typeof args.p_album === "string") {
      throw new AlbumGone(args.p_album, `${fn}: ${error.message}`);
    }
    // The owner's byte quota (migration 20261203000100) refuses an archive larger than the album declared.
    if (error?.code === "PT403") throw new UploadProblem("storage_quota", storageQuotaMessage(quotaFigures(error.details)));
    if (error) throw new Error(`${fn} failed: ${error.message}`);
    return data as T;
  }
  /** For functions that answer the album's counters: null means there is no album any more. */
  async function callCounters<T>(fn: string, args: { p_album: string } & Record<string, unknown>): Promise<T> {
    const data = await call<T | null>(fn, args);
    if (data === null) throw new AlbumGone(args.p_album, `${fn} found no album`);
    return data;
  }
  return {
    claim: (albumId, fingerprint, bytes) =>
      call<ClaimResult>("claim_album", { p_album: albumId, p_fingerprint: fingerprint, p_bytes: bytes })
        .catch((error) => error instanceof AlbumGone ? "not_found" : Promise.reject(error)),
    staleIn: (albumId) => call("extraction_stale_in", { p_album: albumId }),
    counters: (albumId) => callCounters("album_counters", { p_album: albumId }),
    insertEntries: (albumId, rows) => callCounters("insert_album_entries", { p_album: albumId, p_rows: rows }),
    unfinishedIndexes: (albumId) => call("album_unfinished_entries", { p_album: albumId }),
    recordResults: (albumId, results) => callCounters("record_entry_results", { p_album: albumId, p_results: results }),
    setStatus: (albumId, status, error) =>
      callCounters("set_album_status", { p_album: albumId, p_status: status, p_error: error }),
    finish: (albumId) => callCounters("finish_album", { p_album: albumId }),
    heartbeat: (albumId) => call<boolean>("extraction_heartbeat", { p_album: albumId }),
  };
}
