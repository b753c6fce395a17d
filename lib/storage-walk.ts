/**
 * Every object under a Storage folder, by full key, page by page: a flat list-v2 walk (no delimiter,
 * so names are full keys; pages of at most 1000 chained by a cursor). Not list()'s folders: list()
 * matches its prefix without regard to case and lists folders differing only in case (`a/`, `A/`) as
 * one, so keys rebuilt from folder names miss objects (docs/supabase-behaviour.md#listing). Keys are
 * kept only if they start with exactly `<folder>/`, case included.
 * Used by the album deletion (album-deletion.ts) and by the integration tests' checks.
 */
import type { SupabaseClient } from "@supabase/supabase-js";

/** One bucket of a supabase-js client's Storage (`client.storage.from(bucket)`); only its listing. */
export type StorageBucket = Pick<ReturnType<SupabaseClient["storage"]["from"]>, "listV2">;
type StoredObject = NonNullable<Awaited<ReturnType<StorageBucket["listV2"]>>["data"]>["objects"][number];

/** Storage answers at most 1000 objects per list-v2 page. */
const LIST_PAGE = 1000;

/**
 * Yields the objects under `folder` (no trailing slash) one page at a time, each with `key` set to its
 * full key. The cursor carries the last key seen, so objects removed from earlier pages meanwhile do
 * not shift the walk.
 */
export async function* objectPagesUnder(bucket: StorageBucket, folder: string): AsyncGenerator<(StoredObject & { key: string })[]> {
  const prefix = `${folder}/`;
  for (let cursor: string | undefined; ; ) {
    const { data, error } = await bucket.listV2({ prefix, limit: LIST_PAGE, cursor });
    if (error) throw new Error(`listing ${folder} failed: ${error.message}`);
    yield data.objects
      .map((item) => ({ ...item, key: item.key ?? item.name }))
      .filter((item) => item.key.startsWith(prefix));
    if (!data.hasNext || !data.nextCursor) return;
    cursor = data.nextCursor;
  }
}
