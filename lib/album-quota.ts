/**
 * The signed-in user's usage against the per-user limits (docs/architecture.md#per-user-limits), read
 * with `my_album_quota()`, and how the albums page puts it. Formatting is pure; album-quota.test.ts.
 */
import type { Client } from "@/lib/albums";
import { formatBytes } from "@/lib/format";

export type AlbumQuota = { albums: number; bytes: number; maxAlbums: number; maxBytes: number };

/** Near a limit from this share on, the page says so before an upload is refused. */
export const QUOTA_WARNING_SHARE = 0.9;

/** Null when it cannot be read: the figures are a courtesy, and the database enforces the limits anyway. */
export async function readAlbumQuota(supabase: Client): Promise<AlbumQuota | null> {
  const { data, error } = await supabase.rpc("my_album_quota");
  const row = Array.isArray(data) ? data[0] : null;
  if (error || !row) return null;
  return { albums: Number(row.albums), bytes: Number(row.bytes), maxAlbums: Number(row.max_albums), maxBytes: Number(row.max_bytes) };
}

const count = (n: number) => n.toLocaleString("en-US");

/** "3 of 1,000 albums · 1.2 GB of 20.0 GB used". */
export function quotaSummary(q: AlbumQuota): string {
  return `${count(q.albums)} of ${count(q.maxAlbums)} albums · ${formatBytes(q.bytes)} of ${formatBytes(q.maxBytes)} used`;
}

/** What to say when a limit is reached or near, else null. */
export function quotaWarning(q: AlbumQuota): string | null {
  const albumsLeft = Math.max(0, q.maxAlbums - q.albums);
  const bytesLeft = Math.max(0, q.maxBytes - q.bytes);
  const room = "Delete albums you no longer need to make room.";
  if (albumsLeft === 0) return `You have reached the limit of ${count(q.maxAlbums)} albums. ${room}`;
  if (bytesLeft === 0) return `Your storage is full (${formatBytes(q.maxBytes)}). ${room}`;
  const parts: string[] = [];
  if (q.albums >= q.maxAlbums * QUOTA_WARNING_SHARE) parts.push(`${count(albumsLeft)} more ${albumsLeft === 1 ? "album" : "albums"}`);
  if (q.bytes >= q.maxBytes * QUOTA_WARNING_SHARE) parts.push(`${formatBytes(bytesLeft)} more photos`);
  return parts.length ? `You are close to your limits: room for ${parts.join(" and ")}. ${room}` : null;
}
