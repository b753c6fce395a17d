"use server";

import { revalidatePath } from "next/cache";
import { createClient } from "@/lib/supabase/server";
import { PAGE_ROWS, PHOTOS_BUCKET } from "@/lib/albums";
import { isUuid } from "@/lib/uuid";

export type ActionResult = { ok: true } | { ok: false; message: string };

/** Storage's remove takes at most 1000 keys per call. */
const REMOVE_BATCH = 1000;

export async function renameAlbum(id: string, name: string): Promise<ActionResult> {
  const trimmed = name.trim();
  if (!isUuid(id)) return { ok: false, message: "Unknown album." };
  if (trimmed.length < 1 || trimmed.length > 200) return { ok: false, message: "A name needs 1 to 200 characters." };
  const supabase = await createClient();
  const { data, error } = await supabase.from("albums").update({ name: trimmed }).eq("id", id).select("id");
  if (error) return { ok: false, message: error.message };
  if (!data?.length) return { ok: false, message: "This album no longer exists." };
  revalidatePath("/");
  revalidatePath(`/albums/${id}`);
  return { ok: true };
}

/** Every object key recorded for the album, page by page. */
async function entryPaths(supabase: Awaited<ReturnType<typeof createClient>>, id: string): Promise<string[]> {
  const paths: string[] = [];
  for (let from = 0; ; from += PAGE_ROWS) {
    const { data, error } = await supabase
      .from("album_entries")
      .select("path")
      .eq("album_id", id)
      .not("path", "is", null)
      .order("idx")
      .range(from, from + PAGE_ROWS - 1);
    if (error) throw new Error(error.message);
    for (const row of data ?? []) if (row.path) paths.push(row.path);
    if (!data || data.length < PAGE_ROWS) return paths;
  }
}

/**
 * Photos first, then the row: deleting the row first would cascade the entries away and leave the
 * objects with no record of where they are.
 */
export async function deleteAlbum(id: string): Promise<ActionResult> {
  if (!isUuid(id)) return { ok: false, message: "Unknown album." };
  const supabase = await createClient();
  try {
    const paths = await entryPaths(supabase, id);
    for (let i = 0; i < paths.length; i += REMOVE_BATCH) {
      const { error } = await supabase.storage.from(PHOTOS_BUCKET).remove(paths.slice(i, i + REMOVE_BATCH));
      if (error) return { ok: false, message: `Could not delete the photos: ${error.message}` };
    }
  } catch (error) {
    return { ok: false, message: `Could not list the photos: ${(error as Error).message}` };
  }
  const { error } = await supabase.from("albums").delete().eq("id", id);
  if (error) return { ok: false, message: error.message };
  revalidatePath("/");
  return { ok: true };
}
