"use server";

import { revalidatePath } from "next/cache";
import { createClient } from "@/lib/supabase/server";
import { deleteAlbumCompletely, removeOrphanedFolders } from "@/lib/album-deletion";
import { albumWriteMessage } from "@/lib/album-write-errors";
import { isUuid } from "@/lib/uuid";

export type ActionResult = { ok: true } | { ok: false; message: string };

export async function renameAlbum(id: string, name: string): Promise<ActionResult> {
  const trimmed = name.trim();
  if (!isUuid(id)) return { ok: false, message: "Unknown album." };
  if (trimmed.length < 1 || trimmed.length > 200) return { ok: false, message: "A name needs 1 to 200 characters." };
  const supabase = await createClient();
  const { data, error } = await supabase.from("albums").update({ name: trimmed }).eq("id", id).select("id");
  if (error) return { ok: false, message: albumWriteMessage(error) };
  if (!data?.length) return { ok: false, message: "This album no longer exists." };
  revalidatePath("/");
  revalidatePath(`/albums/${id}`);
  return { ok: true };
}

/** Stops any extraction, removes everything under the album's folder, then the row (album-deletion.ts). */
export async function deleteAlbum(id: string): Promise<ActionResult> {
  if (!isUuid(id)) return { ok: false, message: "Unknown album." };
  const supabase = await createClient();
  const { data, error } = await supabase.auth.getUser();
  if (error || !data.user) return { ok: false, message: "You are signed out. Sign in again, then retry." };
  const result = await deleteAlbumCompletely(supabase, data.user.id, id);
  if (!result.ok) return result;
  // While at it, photos an earlier deletion left without an album go too; the album itself is gone
  // already, so a failure here is not this deletion's.
  await removeOrphanedFolders(supabase, data.user.id).catch(() => 0);
  revalidatePath("/");
  return { ok: true };
}
