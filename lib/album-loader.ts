/** Reads an album and its entries from the database (the truth; broadcasts are only a live feed). */
import type { SupabaseClient } from "@supabase/supabase-js";
import type { AlbumRow, Database } from "@/lib/database.types";
import { entryFromRow, type EntryView } from "@/lib/album-state";
import { PAGE_ROWS } from "@/lib/albums";

const ENTRY_COLUMNS = "idx, name, path, size, status, reason, updated_at, taken_at, taken_at_source, width, height, orientation, camera_make, camera_model";

export type AlbumSnapshot = { album: AlbumRow | null; entries: EntryView[]; latest: string | null };

/**
 * When the album row was last written (its `updated_at`), or null when it is gone: one small row, so a
 * page can ask often whether anything moved without reading the entries.
 */
export async function loadAlbumVersion(supabase: SupabaseClient<Database>, albumId: string): Promise<string | null> {
  const { data, error } = await supabase.from("albums").select("updated_at").eq("id", albumId).maybeSingle();
  if (error) throw new Error(error.message);
  return data?.updated_at ?? null;
}

/**
 * The album row and its entries, all of them or only those changed after `since` (used to catch up
 * after a lost connection). Pages of max_rows, because PostgREST caps every response.
 */
export async function loadAlbum(supabase: SupabaseClient<Database>, albumId: string, since: string | null): Promise<AlbumSnapshot> {
  const { data: album, error } = await supabase.from("albums").select("*").eq("id", albumId).maybeSingle();
  if (error) throw new Error(error.message);
  const entries: EntryView[] = [];
  let latest = since;
  for (let from = 0; ; from += PAGE_ROWS) {
    let query = supabase.from("album_entries").select(ENTRY_COLUMNS).eq("album_id", albumId);
    if (since) query = query.gt("updated_at", since);
    const { data, error: entriesError } = await query.order("idx").range(from, from + PAGE_ROWS - 1);
    if (entriesError) throw new Error(entriesError.message);
    for (const row of data ?? []) {
      entries.push(entryFromRow(row));
      if (!latest || row.updated_at > latest) latest = row.updated_at;
    }
    if (!data || data.length < PAGE_ROWS) break;
  }
  return { album, entries, latest };
}
