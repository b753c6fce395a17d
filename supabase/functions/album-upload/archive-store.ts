// Database calls of the segmented upload, through PostgREST RPC with the service role: recording an
// archive and its rows, the plan, and segment leases (migration 20261203000000). Each call is one
// transaction; counters are recomputed from the rows inside it.
import type { SupabaseClient } from "@supabase/supabase-js";
import type { AlbumCounters } from "../_shared/progress.ts";
import { quotaFigures, storageQuotaMessage } from "../_shared/storage-quota.ts";
import { type PlannedSegment, UploadProblem } from "../_shared/upload-protocol.ts";
import type { ArchiveEntryRow } from "./archive-entries.ts";
import type { PlannedRange } from "./segment-plan.ts";
import { albumGoneFrom } from "./deleted-album.ts";

export type RecordArchiveResult =
  | { result: "created" | "existing"; archive: string; idx_base: number; key_prefix: string; rows: number; planned: boolean }
  | { result: "not_found" | "wrong_status" | "different_archive" }
  | { result: "already_imported"; album: string }
  | { result: "extraction_running"; done: number; total: number };

export type ClaimSegmentResult =
  | { result: "claimed"; start: number; end: number; entries: number; idx_base: number; key_prefix: string }
  | { result: "done" | "unknown" | "archive_mismatch" }
  | { result: "busy"; busy_for: number };

/** What a segment job needs of one entry: the directory's facts and its row. */
export interface SegmentEntry {
  idx: number;
  name: string;
  path: string;
  size: number;
  offset: number;
  compressedSize: number;
  crc32: number;
  method: number;
  flags: number;
}

export interface SegmentFinish extends AlbumCounters {
  error: string | null;
  /** The album ended (its last segment): `status` is final. */
  ended: boolean;
}

export interface ArchiveStore {
  recordArchive(album: string, fingerprint: string, bytes: number, name: string, entryCount: number): Promise<RecordArchiveResult>;
  insertRows(archive: string, rows: ArchiveEntryRow[]): Promise<void>;
  /** Writes the segments unless recorded already; answers the plan as recorded. */
  writePlan(archive: string, segments: PlannedRange[]): Promise<PlannedSegment[]>;
  plan(archive: string): Promise<PlannedSegment[]>;
  /** Ends an archive with no segment left (and its album when it was the last): true when the album ended. */
  finishArchiveIfDone(archive: string): Promise<boolean>;
  claimSegment(album: string, archive: string, segment: number, token: string, leaseSeconds: number): Promise<ClaimSegmentResult>;
  renewLease(archive: string, segment: number, token: string, leaseSeconds: number): Promise<boolean>;
  segmentEntries(archive: string, segment: number): Promise<SegmentEntry[]>;
  /** Null when the lease was no longer ours; else the album's counters after the release. */
  releaseSegment(archive: string, segment: number, token: string, reason: string | null): Promise<AlbumCounters | null>;
  /** Null when the lease was no longer ours (another worker finished or holds the segment). */
  finishSegment(archive: string, segment: number, token: string): Promise<SegmentFinish | null>;
  leave(album: string, reason: string): Promise<AlbumCounters>;
}

export function supabaseArchiveStore(service: SupabaseClient): ArchiveStore {
  async function call<T>(fn: string, args: Record<string, unknown>): Promise<T> {
    const { data, error } = await service.rpc(fn, args);
    // The owner's byte quota (migration 20261203000100) refuses an archive that does not fit.
    if (error?.code === "PT403") throw new UploadProblem("storage_quota", storageQuotaMessage(quotaFigures(error.details)));
    // The album is being deleted (migration 20261203000100): the job stops and cleans up (deleted-album.ts).
    const gone = albumGoneFrom(error, String(args.p_album ?? `of archive ${args.p_archive}`), fn);
    if (gone) throw gone;
    if (error) throw new Error(`${fn} failed: ${error.message}`);
    return data as T;
  }
  return {
    recordArchive: (album, fingerprint, bytes, name, entryCount) =>
      call("record_archive", { p_album: album, p_fingerprint: fingerprint, p_bytes: bytes, p_name: name, p_entry_count: entryCount }),
    insertRows: (archive, rows) => call("insert_archive_entries", { p_archive: archive, p_rows: rows }),
    writePlan: (archive, segments) => call("write_archive_plan", { p_archive: archive, p_segments: segments }),
    plan: (archive) => call("archive_plan", { p_archive: archive }),
    finishArchiveIfDone: (archive) => call("finish_archive_if_done", { p_archive: archive }),
    claimSegment: (album, archive, segment, token, leaseSeconds) =>
      call("claim_segment", { p_album: album, p_archive: archive, p_segment: segment, p_token: token, p_lease_seconds: leaseSeconds }),
    renewLease: (archive, segment, token, leaseSeconds) =>
      call("renew_segment_lease", { p_archive: archive, p_segment: segment, p_token: token, p_lease_seconds: leaseSeconds }),
    segmentEntries: (archive, segment) => call("segment_entries", { p_archive: archive, p_segment: segment }),
    releaseSegment: (archive, segment, token, reason) =>
      call("release_segment", { p_archive: archive, p_segment: segment, p_token: token, p_reason: reason }),
    finishSegment: (archive, segment, token) => call("finish_segment", { p_archive: archive, p_segment: segment, p_token: token }),
    leave: (album, reason) => call("leave_album_upload", { p_album: album, p_reason: reason }),
  };
}
