/**
 * Which of the person's albums already holds a zip, found by its fingerprint before anything is sent.
 * Row-level security lets an owner read only their own albums and archives, so the answer is theirs
 * alone; another user's identical zip is never seen. Two places record a fingerprint: an archive row
 * (the segmented protocol, one per zip an album holds) and the album's `source_fingerprint` (a zip
 * sent whole in one request).
 */
import type { SupabaseClient } from "@supabase/supabase-js";
import type { AlbumRow, Database } from "@/lib/database.types";

export type ImportedArchive = {
  albumId: string;
  albumName: string;
  /** Every part of the zip reached the album; false while parts are still missing (a resume). */
  complete: boolean;
  /**
   * Some tab or device is sending this zip now: a worker holds one of its parts (a live lease, taken
   * before the part's first byte is received) and the album was not left (pagehide or Cancel make it
   * `interrupted`, though a part already received may still be extracting). Nobody needs to drop it again.
   */
  sending: boolean;
};

/** Album states in which a zip sent whole has nothing more to receive. */
const SETTLED: AlbumRow["status"][] = ["ready", "partial", "failed"];

export async function findImportedArchive(supabase: SupabaseClient<Database>, fingerprint: string, now = Date.now()): Promise<ImportedArchive | null> {
  const [archives, whole] = await Promise.all([
    supabase.from("album_archives").select("id, album_id, status").eq("fingerprint", fingerprint),
    supabase.from("albums").select("id, name, status, deleting_at").eq("source_fingerprint", fingerprint),
  ]);
  if (archives.error) throw new Error(`Could not look the zip up among your albums: ${archives.error.message}`);
  if (whole.error) throw new Error(`Could not look the zip up among your albums: ${whole.error.message}`);
  const archiveRows = archives.data ?? [];
  const wanted = archiveRows.map((a) => a.album_id).filter((id) => !(whole.data ?? []).some((album) => album.id === id));
  const more = wanted.length === 0 ? { data: [], error: null } : await supabase.from("albums").select("id, name, status, deleting_at").in("id", wanted);
  if (more.error) throw new Error(`Could not look the zip up among your albums: ${more.error.message}`);
  const albums = [...(whole.data ?? []), ...(more.data ?? [])].filter((album) => album.deleting_at === null);
  const receiving = archiveRows.filter((a) => a.status === "receiving").map((a) => a.id);
  const leases = receiving.length === 0 ? { data: [], error: null } : await supabase
    .from("album_segments").select("archive_id, lease_expires_at").in("archive_id", receiving).eq("status", "pending").not("lease_expires_at", "is", null);
  if (leases.error) throw new Error(`Could not look the zip up among your albums: ${leases.error.message}`);
  const held = new Set((leases.data ?? []).filter((s) => Date.parse(s.lease_expires_at!) > now).map((s) => s.archive_id));

  const found = albums.map((album): ImportedArchive => {
    const archive = archiveRows.find((a) => a.album_id === album.id);
    // An archive row says it for the segmented protocol; a zip sent whole has only the album's state.
    const complete = archive ? archive.status === "done" : SETTLED.includes(album.status);
    const sending = !!archive && held.has(archive.id) && album.status !== "interrupted";
    return { albumId: album.id, albumName: album.name, complete, sending };
  });
  // An album still waiting for parts of this zip comes first: the drop continues it.
  return found.find((f) => !f.complete) ?? found[0] ?? null;
}
