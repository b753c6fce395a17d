/**
 * The public schema as supabase-js sees it (hand-written from supabase/migrations; regenerate with
 * `supabase gen types typescript` against a hosted project when the schema grows).
 */
import type { AlbumStatus, EntryStatus } from "@/lib/progress";

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
    };
    Views: { [_ in never]: never };
    Functions: { [_ in never]: never };
    Enums: { [_ in never]: never };
    CompositeTypes: { [_ in never]: never };
  };
};
