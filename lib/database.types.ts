/**
 * The public schema as supabase-js sees it (hand-written from supabase/migrations; regenerate with
 * `supabase gen types typescript` against a hosted project when the schema grows).
 */
import type { AlbumStatus, EntryStatus } from "@/lib/progress";
import type { PhotoMetadataColumns } from "../supabase/functions/_shared/photo-metadata-columns.ts";

export type { AlbumStatus, EntryStatus };

export type AlbumRow = {
  id: string;
  owner_id: string;
  name: string;
  status: AlbumStatus;
  source_name: string | null;
  source_bytes: number | null;
  source_fingerprint: string | null;
  entries_total: number;
  uploaded: number;
  skipped: number;
  failed: number;
  bytes_done: number;
  bytes_total: number;
  error: string | null;
  cover_path: string | null;
  created_at: string;
  updated_at: string;
  /** Set when deletion began: the album's jobs stop and its photos are being removed (album-deletion.ts). */
  deleting_at: string | null;
};

export type AlbumEntryRow = {
  album_id: string;
  idx: number;
  name: string;
  path: string | null;
  size: number;
  content_type: string | null;
  status: EntryStatus;
  reason: string | null;
  reason_code: string | null;
  /** The archive the entry came from (null for albums filled by the single request before archives existed). */
  archive_id: string | null;
  segment: number | null;
  created_at: string;
  updated_at: string;
  // The photo's date taken, pixel size, orientation and camera (docs/architecture.md#photo-metadata).
} & PhotoMetadataColumns;

/** One zip dropped on an album (migration 20261203000000): an album holds one or more. */
export type AlbumArchiveRow = {
  id: string;
  album_id: string;
  ordinal: number;
  name: string | null;
  /** `<bytes>:<sha-256 of the central directory>`, as upload-protocol.ts computes it. */
  fingerprint: string;
  bytes: number;
  idx_base: number;
  entry_count: number;
  key_prefix: string;
  status: "receiving" | "done";
  created_at: string;
  updated_at: string;
};

/** One planned byte range of an archive; a live lease means a worker is extracting it now. */
export type AlbumSegmentRow = {
  archive_id: string;
  idx: number;
  album_id: string;
  start_offset: number;
  end_offset: number;
  entries: number;
  status: "pending" | "done";
  lease_token: string | null;
  lease_expires_at: string | null;
  attempts: number;
  created_at: string;
  updated_at: string;
};

export type Database = {
  public: {
    Tables: {
      albums: {
        Row: AlbumRow;
        // Only these columns are granted to signed-in users (see the migration).
        Insert: { name: string; source_name?: string | null; source_bytes?: number | null };
        Update: { name?: string };
        Relationships: [];
      };
      album_entries: {
        Row: AlbumEntryRow;
        Insert: never;
        Update: never;
        Relationships: [];
      };
      album_archives: {
        Row: AlbumArchiveRow;
        Insert: never;
        Update: never;
        Relationships: [];
      };
      album_segments: {
        Row: AlbumSegmentRow;
        Insert: never;
        Update: never;
        Relationships: [];
      };
      /** Objects whose photos were deleted and that Storage has not removed yet (photo-deletion.ts). */
      photo_removals: {
        Row: { album_id: string; path: string; created_at: string };
        Insert: never;
        Update: never;
        Relationships: [];
      };
    };
    Views: { [_ in never]: never };
    // Only the functions signed-in users may call (the rest are the service role's).
    Functions: {
      begin_album_deletion: { Args: { p_album: string }; Returns: "deleting" | "not_found" };
      delete_album_photos: {
        Args: { p_album: string; p_idx: number[] };
        Returns: { result: "deleted"; deleted: number; paths: string[] } | { result: "busy" } | { result: "not_found" };
      };
      /** Per album of the caller, when its photos were first and last taken (migration 20261203003000); nulls without dates. */
      album_date_spans: {
        Args: { p_album?: string };
        Returns: { album_id: string; first_taken_at: string | null; last_taken_at: string | null }[];
      };
      my_album_quota: {
        Args: Record<PropertyKey, never>;
        Returns: { albums: number; bytes: number; max_albums: number; max_bytes: number }[];
      };
    };
    Enums: { [_ in never]: never };
    CompositeTypes: { [_ in never]: never };
  };
};
