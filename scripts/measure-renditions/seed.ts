/**
 * The albums the measurement browses, written straight through the service role (rows and Storage
 * objects as an extraction leaves them), so the run measures browsing, not importing.
 */
import type { SupabaseClient } from "@supabase/supabase-js";
import { makeClient } from "../../local-supabase/test/support/platform.ts";
import { ANON_KEY, SERVICE_ROLE_KEY } from "../../local-supabase/src/shared/keys.ts";
import { PHOTO_HEIGHT, PHOTO_WIDTH } from "./photos.ts";

export type SeededEntry = { idx: number; name: string; path: string; size: number };
export type SeededAlbum = { id: string; entries: SeededEntry[] };
export type User = { id: string; email: string; password: string };

const PHOTOS_PER_DAY = 100;
/** A folder per thousand photos, as a few rolls or card dumps would be: the folder filter stays one line. */
const PHOTOS_PER_FOLDER = 1000;
const ROW_BATCH = 1000;
const PARALLEL = 6;

export async function signUp(api: string, email: string, password: string): Promise<User> {
  const { data, error } = await makeClient(api, ANON_KEY).auth.signUp({ email, password });
  if (error || !data.user) throw error ?? new Error("sign-up returned no user");
  return { id: data.user.id, email, password };
}

export function serviceClient(api: string): SupabaseClient {
  return makeClient(api, SERVICE_ROLE_KEY);
}

async function inParallel<T>(items: T[], run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: PARALLEL }, async () => {
    while (next < items.length) await run(items[next++]);
  }));
}

/** Photos at one-minute steps, a hundred a day, from 1 Jul 2024: the grid gets day sections. */
const takenAt = (idx: number) => new Date(Date.UTC(2024, 6, 1 + Math.floor(idx / PHOTOS_PER_DAY), 8, idx % PHOTOS_PER_DAY)).toISOString();

/**
 * An album of `count` photos, each its own object (`Roll N/IMG_….JPG`), so no two tiles share a URL the
 * browser could load once. The first of `sources` is uploaded, then every other object is a Storage copy
 * of one of them, round-robin: distinct keys without sending the bytes again.
 */
export async function seedAlbum(
  service: SupabaseClient,
  owner: User,
  name: string,
  count: number,
  sources: Buffer[],
  { width = PHOTO_WIDTH, height = PHOTO_HEIGHT, progress }: { width?: number; height?: number; progress?: (done: number) => void } = {},
): Promise<SeededAlbum> {
  const { data: album, error } = await service
    .from("albums")
    .insert({ owner_id: owner.id, name, status: "ready", entries_total: count, uploaded: count })
    .select("id")
    .single();
  if (error) throw error;
  const bucket = service.storage.from("photos");
  const entries: SeededEntry[] = Array.from({ length: count }, (_, idx) => {
    const fileName = `Roll ${Math.floor(idx / PHOTOS_PER_FOLDER) + 1}/IMG_${String(idx + 1).padStart(5, "0")}.JPG`;
    return { idx, name: fileName, path: `${owner.id}/${album.id}/${fileName}`, size: sources[idx % sources.length].length };
  });
  const originals = entries.slice(0, Math.min(sources.length, count));
  await inParallel(originals, async (entry) => {
    const upload = await bucket.upload(entry.path, sources[entry.idx], { contentType: "image/jpeg" });
    if (upload.error) throw new Error(`upload ${entry.path}: ${upload.error.message}`);
  });
  let done = originals.length;
  await inParallel(entries.slice(originals.length), async (entry) => {
    const copied = await bucket.copy(originals[entry.idx % originals.length].path, entry.path);
    if (copied.error) throw new Error(`copy to ${entry.path}: ${copied.error.message}`);
    if (++done % 500 === 0) progress?.(done);
  });
  for (let from = 0; from < count; from += ROW_BATCH) {
    const rows = entries.slice(from, from + ROW_BATCH).map((entry) => ({
      album_id: album.id,
      idx: entry.idx,
      name: entry.name,
      path: entry.path,
      size: entry.size,
      content_type: "image/jpeg",
      status: "uploaded",
      taken_at: takenAt(entry.idx),
      taken_at_source: "exif",
      width,
      height,
      orientation: 1,
    }));
    const inserted = await service.from("album_entries").insert(rows);
    if (inserted.error) throw new Error(`insert entries of ${name}: ${inserted.error.message}`);
  }
  return { id: album.id as string, entries };
}
