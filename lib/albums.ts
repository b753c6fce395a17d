import type { SupabaseClient } from "@supabase/supabase-js";
import type { AlbumRow, Database } from "@/lib/database.types";
import { isStalled } from "@/lib/stalled-extraction";
import { COVER_TRANSFORM } from "@/lib/renditions";
import { signPhotos } from "@/lib/rendition-signing";
import { albumDateSpans, type TakenSpan } from "@/lib/album-dates";

export type Client = SupabaseClient<Database>;
/** `stalled`: extracting, but its job evidently died; the album page offers to resume it (stalled-extraction.ts). */
/** `taken`: when its photos were first and last taken (null: none dated). */
export type AlbumCard = AlbumRow & { coverUrl: string | null; stalled: boolean; taken: TakenSpan | null };

export const PHOTOS_BUCKET = "photos";
/** Signed URLs live an hour; views renew them before that (use-signed-urls.ts). */
export const SIGNED_URL_SECONDS = 3600;
/** PostgREST answers at most max_rows (1000) rows per request (config.toml [api]), so lists are paged. */
export const PAGE_ROWS = 1000;

/** The cover of an album: its cover_path, else its first photo by date taken (as the album opens), else by archive order. */
async function coverPath(supabase: Client, album: AlbumRow): Promise<string | null> {
  if (album.cover_path) return album.cover_path;
  if (album.uploaded === 0) return null;
  const { data } = await supabase
    .from("album_entries")
    .select("path")
    .eq("album_id", album.id)
    .eq("status", "uploaded")
    .order("taken_at", { ascending: true, nullsFirst: false })
    .order("idx")
    .limit(1)
    .maybeSingle();
  return data?.path ?? null;
}

/** The user's albums, newest first, with a signed cover URL each (RLS limits the rows to the owner). */
export async function listAlbums(supabase: Client): Promise<AlbumCard[]> {
  const { data, error } = await supabase.from("albums").select("*").order("created_at", { ascending: false });
  if (error) throw new Error(`Could not load your albums: ${error.message}`);
  const albums = data ?? [];
  const [paths, spans] = await Promise.all([
    Promise.all(albums.map((album) => coverPath(supabase, album))),
    albums.length > 0 ? albumDateSpans(supabase) : new Map<string, TakenSpan>(),
  ]);
  const wanted = paths.filter((p): p is string => p !== null);
  // Covers are renditions at card size; a project without image transformations gets the originals
  // (docs/supabase-behaviour.md#image-transformations).
  const signed = await signPhotos(supabase.storage.from(PHOTOS_BUCKET), [...new Set(wanted)], SIGNED_URL_SECONDS, COVER_TRANSFORM, { available: null });
  const urls = new Map(signed.map((photo) => [photo.path, photo.url]));
  const now = Date.now();
  return albums.map((album, i) => ({
    ...album,
    coverUrl: paths[i] ? (urls.get(paths[i]!) ?? null) : null,
    stalled: isStalled(album.status, Date.parse(album.updated_at), now),
    taken: spans.get(album.id) ?? null,
  }));
}

export async function getAlbum(supabase: Client, id: string): Promise<AlbumRow | null> {
  const { data, error } = await supabase.from("albums").select("*").eq("id", id).maybeSingle();
  if (error) throw new Error(`Could not load the album: ${error.message}`);
  return data;
}
