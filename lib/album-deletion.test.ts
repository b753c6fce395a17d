import { test } from "node:test";
import assert from "node:assert/strict";
import { type DeletionClient, deleteAlbumCompletely, removeOrphanedFolders, STORAGE_PAGE } from "./album-deletion.ts";

const OWNER = "11111111-1111-4111-8111-111111111111";
const ALBUM = "22222222-2222-4222-8222-222222222222";
const PREFIX = `${OWNER}/${ALBUM}/`;

type Failure = { message: string } | null;

/**
 * A Storage bucket and an albums table in memory, with Storage's listing semantics
 * (docs/supabase-behaviour.md#listing). `list`: one level under the prefix, matched without regard to
 * case, folders as entries without an id (folders differing only in case once), names sorted,
 * `limit`/`offset` paging. `listV2` (flat): full keys under the prefix, bytewise order, pages chained by
 * a cursor; its prefix is matched without regard to case too, so only the code's own exact-prefix check
 * keeps other folders out. `remove` answers the objects it removed. `onList` lets a test add objects
 * between calls (a job still uploading).
 */
class FakeSupabase {
  objects = new Set<string>();
  rows = new Map<string, { deleting: boolean }>();
  calls: string[] = [];
  failMark: Failure = null;
  failRemove: Failure = null;
  failDelete: Failure = null;
  refuseRemoval = false;
  /** Runs just before a removal is carried out (a stopping job removing the same photos first). */
  beforeRemove: ((paths: string[]) => void) | null = null;
  onList: (() => void) | null = null;

  rpc(fn: string, args: { p_album: string }) {
    this.calls.push(`rpc:${fn}`);
    if (this.failMark) return Promise.resolve({ data: null, error: this.failMark });
    const row = this.rows.get(args.p_album);
    if (!row) return Promise.resolve({ data: "not_found", error: null });
    row.deleting = true;
    return Promise.resolve({ data: "deleting", error: null });
  }

  get storage() {
    return {
      from: (bucket: string) => {
        assert.equal(bucket, "photos");
        return {
          list: (prefix: string, options: { limit: number; offset: number }) => {
            this.calls.push(`list:${prefix}@${options.offset}`);
            assert.ok(options.limit <= STORAGE_PAGE);
            this.onList?.();
            const level = new Map<string, { name: string; id: string | null }>();
            for (const key of this.objects) {
              if (!key.toLowerCase().startsWith(`${prefix}/`.toLowerCase())) continue;
              const [head, ...rest] = key.slice(prefix.length + 1).split("/");
              const folded = rest.length > 0 ? `${head.toLowerCase()}/` : head;
              if (!level.has(folded)) level.set(folded, { name: head, id: rest.length > 0 ? null : `id-${key}` });
            }
            const items = [...level].sort(([a], [b]) => a.localeCompare(b)).map(([, item]) => item);
            return Promise.resolve({ data: items.slice(options.offset, options.offset + options.limit), error: null });
          },
          listV2: (options: { prefix?: string; limit?: number; cursor?: string; with_delimiter?: boolean }) => {
            const limit = options.limit ?? STORAGE_PAGE;
            this.calls.push(`listV2:${options.prefix}@${options.cursor ?? ""}`);
            assert.ok(limit <= STORAGE_PAGE);
            assert.ok(!options.with_delimiter, "a flat listing");
            this.onList?.();
            const prefix = (options.prefix ?? "").toLowerCase();
            const keys = [...this.objects]
              .filter((key) => key.toLowerCase().startsWith(prefix) && (options.cursor === undefined || key > options.cursor))
              .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
            const page = keys.slice(0, limit);
            const objects = page.map((key) => ({ name: key, key, id: `id-${key}`, metadata: null }));
            const hasNext = keys.length > limit;
            return Promise.resolve({ data: { hasNext, nextCursor: hasNext ? page.at(-1) : undefined, folders: [], objects }, error: null });
          },
          remove: (paths: string[]) => {
            this.calls.push(`remove:${paths.length}`);
            assert.ok(paths.length <= STORAGE_PAGE, "at most 1000 keys per remove");
            if (this.failRemove) return Promise.resolve({ data: null, error: this.failRemove });
            if (this.refuseRemoval) return Promise.resolve({ data: [], error: null });
            this.beforeRemove?.(paths);
            const removed = paths.filter((p) => this.objects.delete(p)).map((name) => ({ name }));
            return Promise.resolve({ data: removed, error: null });
          },
        };
      },
    };
  }

  from(table: string) {
    assert.equal(table, "albums");
    return {
      select: (columns: string) => ({
        order: () => ({
          range: (from: number, to: number) => {
            assert.equal(columns, "id");
            const ids = [...this.rows.keys()].sort().slice(from, to + 1).map((id) => ({ id }));
            return Promise.resolve({ data: ids, error: null });
          },
        }),
      }),
      delete: () => ({
        eq: (_column: string, id: string) => {
          this.calls.push("delete");
          if (this.failDelete) return Promise.resolve({ error: this.failDelete });
          // The delete policy: only a row marked for deletion goes.
          if (this.rows.get(id)?.deleting) this.rows.delete(id);
          return Promise.resolve({ error: null });
        },
      }),
    };
  }

  get client(): DeletionClient {
    return this as unknown as DeletionClient;
  }
}

function albumWith(keys: string[]): FakeSupabase {
  const fake = new FakeSupabase();
  fake.rows.set(ALBUM, { deleting: false });
  for (const key of keys) fake.objects.add(PREFIX + key);
  fake.objects.add(`${OWNER}/another-album/keep.jpg`);
  return fake;
}

test("marks the album, removes every object under its prefix in nested folders, then deletes the row", async () => {
  const fake = albumWith(["a.jpg", "b.jpg", "roll 1/c.jpg", "roll 1/deep/d.jpg", "z/e.jpg"]);
  const result = await deleteAlbumCompletely(fake.client, OWNER, ALBUM);
  assert.deepEqual(result, { ok: true, removedPhotos: 5 });
  assert.deepEqual([...fake.objects], [`${OWNER}/another-album/keep.jpg`], "the other album is untouched");
  assert.equal(fake.rows.has(ALBUM), false);
  assert.equal(fake.calls[0], "rpc:begin_album_deletion", "the job is told to stop before anything is removed");
  assert.equal(fake.calls.at(-1), "delete", "the row goes last");
});

test("pages through more objects than one list or remove request takes", async () => {
  const keys = Array.from({ length: 2 * STORAGE_PAGE + 17 }, (_, i) => `IMG_${String(i).padStart(5, "0")}.jpg`);
  keys.push(...Array.from({ length: STORAGE_PAGE + 3 }, (_, i) => `f${String(i).padStart(5, "0")}/x.jpg`));
  const fake = albumWith(keys);
  const result = await deleteAlbumCompletely(fake.client, OWNER, ALBUM);
  assert.deepEqual(result, { ok: true, removedPhotos: keys.length });
  assert.equal(fake.objects.size, 1);
  assert.ok(fake.calls.filter((c) => c.startsWith("remove:")).every((c) => Number(c.slice(7)) <= STORAGE_PAGE));
});

test("objects stored while the deletion runs are removed by another pass", async () => {
  const fake = albumWith(["a.jpg"]);
  let late = 3;
  fake.onList = () => {
    if (late-- > 0) fake.objects.add(`${PREFIX}late-${late}.jpg`);
  };
  const result = await deleteAlbumCompletely(fake.client, OWNER, ALBUM);
  assert.equal(result.ok, true);
  assert.equal(fake.objects.size, 1);
});

test("an album whose row is already gone still has its prefix emptied", async () => {
  const fake = albumWith(["left-behind.jpg"]);
  fake.rows.clear();
  const result = await deleteAlbumCompletely(fake.client, OWNER, ALBUM);
  assert.deepEqual(result, { ok: true, removedPhotos: 1 });
  assert.equal(fake.objects.size, 1);
});

test("a failed step keeps the row, says to try again, and the retry finishes the deletion", async () => {
  const fake = albumWith(["a.jpg", "sub/b.jpg"]);
  fake.failRemove = { message: "Storage is unavailable" };
  const first = await deleteAlbumCompletely(fake.client, OWNER, ALBUM);
  assert.deepEqual(first, {
    ok: false,
    message: "Could not delete all of the album's photos (removing photos failed: Storage is unavailable). Try deleting it again.",
  });
  assert.equal(fake.rows.has(ALBUM), true, "the row stays, so the album can be found and deleted again");
  assert.equal(fake.calls.includes("delete"), false);

  fake.failRemove = null;
  const retry = await deleteAlbumCompletely(fake.client, OWNER, ALBUM);
  assert.deepEqual(retry, { ok: true, removedPhotos: 2 });
  assert.equal(fake.rows.has(ALBUM), false);
});

test("Storage silently refusing removal is reported, not looped on", async () => {
  const fake = albumWith(["a.jpg"]);
  fake.refuseRemoval = true;
  const result = await deleteAlbumCompletely(fake.client, OWNER, ALBUM);
  assert.equal(result.ok, false);
  assert.match((result as { message: string }).message, /Storage did not remove 1 of the photos, such as .*\/a\.jpg/);
  assert.equal(fake.rows.has(ALBUM), true);
});

test("a refused mark stops before anything is removed", async () => {
  const fake = albumWith(["a.jpg"]);
  fake.failMark = { message: "JWT expired" };
  const result = await deleteAlbumCompletely(fake.client, OWNER, ALBUM);
  assert.deepEqual(result, { ok: false, message: "Could not delete the album: JWT expired" });
  assert.equal(fake.objects.size, 2);
});

test("a refused row delete says the photos are gone and to try again", async () => {
  const fake = albumWith(["a.jpg"]);
  fake.failDelete = { message: "connection reset" };
  const result = await deleteAlbumCompletely(fake.client, OWNER, ALBUM);
  assert.deepEqual(result, { ok: false, message: "The photos are deleted, but the album could not be: connection reset. Try deleting it again." });
});

test("folders under the owner's prefix that belong to no album are emptied; albums' folders are not", async () => {
  const fake = albumWith(["a.jpg", "sub/b.jpg"]);
  const orphan = "33333333-3333-4333-8333-333333333333";
  fake.objects.add(`${OWNER}/${orphan}/left.jpg`);
  fake.objects.add(`${OWNER}/${orphan}/deep/er.jpg`);
  fake.rows.set("another-album", { deleting: false });
  const removed = await removeOrphanedFolders(fake.client, OWNER);
  assert.equal(removed, 2);
  assert.deepEqual([...fake.objects].sort(), [`${OWNER}/${ALBUM}/a.jpg`, `${OWNER}/${ALBUM}/sub/b.jpg`, `${OWNER}/another-album/keep.jpg`].sort());
});

test("an owner with no folders costs one listing and no album read", async () => {
  const fake = new FakeSupabase();
  assert.equal(await removeOrphanedFolders(fake.client, OWNER), 0);
  assert.deepEqual(fake.calls, [`list:${OWNER}@0`]);
});

test("photos removed by someone else between the listing and the removal are no failure", async () => {
  const fake = albumWith(["a.jpg", "b.jpg", "sub/c.jpg"]);
  // The album's stopping job removes what it stored at the same moment.
  fake.beforeRemove = () => {
    for (const key of ["a.jpg", "b.jpg"]) fake.objects.delete(PREFIX + key);
    fake.beforeRemove = null;
  };
  const result = await deleteAlbumCompletely(fake.client, OWNER, ALBUM);
  assert.deepEqual(result, { ok: true, removedPhotos: 1 });
  assert.equal(fake.objects.size, 1);
  assert.equal(fake.rows.has(ALBUM), false);
});

test("folders whose names differ only in case are all emptied, and a folder differing from the album's only in case is kept", async () => {
  const album = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
  const fake = new FakeSupabase();
  fake.rows.set(album, { deleting: false });
  for (const key of ["a/IMG.jpg", "A/IMG (4).jpg", "A/b/c.jpg", "a/B/d.jpg"]) fake.objects.add(`${OWNER}/${album}/${key}`);
  const twin = `${OWNER}/${album.toUpperCase()}/keep.jpg`;
  fake.objects.add(twin);
  const result = await deleteAlbumCompletely(fake.client, OWNER, album);
  assert.deepEqual(result, { ok: true, removedPhotos: 4 });
  assert.deepEqual([...fake.objects], [twin]);
  assert.equal(fake.rows.has(album), false);
});
