/** When an album's photos were taken, first to last, read in one call (docs/architecture.md#photos-in-time-and-folders). */
import type { SupabaseClient } from "@supabase/supabase-js";
import type { Database } from "@/lib/database.types";

/** ISO timestamps of the first and last photo taken; null when the album has no dated photo. */
export type TakenSpan = { first: string | null; last: string | null };

/**
 * The span of each of the caller's albums (RLS keeps it to their own), or of one album: the database
 * takes each min and max from an index, so no album's rows are read into the app.
 */
export async function albumDateSpans(supabase: SupabaseClient<Database>, albumId?: string): Promise<Map<string, TakenSpan>> {
  const { data, error } = await supabase.rpc("album_date_spans", albumId ? { p_album: albumId } : {});
  if (error) throw new Error(`Could not read when the photos were taken: ${error.message}`);
  return new Map((data ?? []).map((row) => [row.album_id, { first: row.first_taken_at, last: row.last_taken_at }]));
}
