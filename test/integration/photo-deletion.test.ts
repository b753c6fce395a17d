// Deleting some photos of an album (docs/architecture.md#deleting-photos) through supabase-js, the
// real function, database and Storage, with the app's own deletion code: rows, counters and objects
// change together; nobody else can delete them; an album still being filled refuses; a deletion that
// stopped after its database step is finished by deleting again.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { deletePhotos, finishPhotoRemovals, type PhotoDeletionClient } from "../../lib/photo-deletion.ts";
import { buildZip } from "./support/zip-builder.ts";
import { jpeg } from "./support/images.ts";
import { createAlbum, postArchive, readAlbum, waitForEnd, type User } from "./support/album-run.ts";
import { checkInvariant, readEntries } from "./support/album-checks.ts";
import { withPlatform } from "./support/platform.ts";
import { objectPagesUnder } from "../../lib/storage-walk.ts";

const asClient = (user: User) => user.client as unknown as PhotoDeletionClient;

describe("deleting photos", () => {
  const platform = withPlatform();

  async function objectsUnder(folder: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const page of objectPagesUnder(platform.admin.storage.from("photos"), folder)) keys.push(...page.map((item) => item.key));
    return keys.sort();
  }

  /** A ready album of five photos in two folders (one not a photo, so a skipped row is counted too). */
  async function readyAlbum(user: User) {
    const archive = buildZip([
      ...Array.from({ length: 5 }, (_, i) => ({ name: `Day ${1 + (i % 2)}/IMG_${4000 + i}.JPG`, data: jpeg(3_000 + i * 100, i + 1) })),
      { name: "notes.txt", data: Buffer.from("not a photo") },
    ]);
    const { id } = await createAlbum(user);
    const answer = await postArchive(platform.url, user.accessToken, id, archive);
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    const album = await waitForEnd(user.client, id);
    assert.equal(album.status, "ready");
    assert.equal(album.uploaded, 5);
    return album;
  }

  test("two of five: their objects and rows are gone, the counters follow and the album invariant holds", async () => {
    const user = await platform.newUser();
    const album = await readyAlbum(user);
    const before = await readEntries(user.client, album.id);
    const doomed = before.filter((row) => row.status === "uploaded").slice(1, 3);

    const result = await deletePhotos(asClient(user), album.id, doomed.map((row) => row.idx));
    assert.deepEqual(result, { ok: true, deleted: 2, removedObjects: 2 });

    const after = await readAlbum(user.client, album.id);
    const rows = await readEntries(user.client, album.id);
    assert.deepEqual(rows.map((row) => row.idx), before.filter((row) => !doomed.includes(row)).map((row) => row.idx));
    assert.equal(after.uploaded, 3);
    assert.equal(after.entries_total, before.length - 2);
    assert.equal(after.bytes_total, album.bytes_total - doomed.reduce((sum, row) => sum + row.size, 0));
    assert.equal(after.status, "ready");
    await checkInvariant(platform.admin, after, rows);
    const stored = await objectsUnder(`${user.id}/${album.id}`);
    for (const row of doomed) assert.ok(!stored.includes(row.path!), `${row.path} is removed`);
    assert.equal(stored.length, 3);
    assert.equal((await platform.admin.from("photo_removals").select("path").eq("album_id", album.id)).data?.length, 0);
  });

  test("another user cannot delete them, neither through the function nor through Storage", async () => {
    const owner = await platform.newUser();
    const album = await readyAlbum(owner);
    const rows = (await readEntries(owner.client, album.id)).filter((row) => row.status === "uploaded");
    const stranger = await platform.newUser();

    const result = await deletePhotos(asClient(stranger), album.id, rows.map((row) => row.idx));
    assert.deepEqual(result, { ok: false, reason: "not_found", message: "This album no longer exists." });
    const removed = await stranger.client.storage.from("photos").remove(rows.map((row) => row.path!));
    assert.deepEqual(removed.data, [], "Storage removes none of another user's objects");
    const cleared = await stranger.client.from("photo_removals").delete().eq("album_id", album.id).select();
    assert.deepEqual(cleared.data, []);

    const after = await readAlbum(owner.client, album.id);
    assert.equal(after.uploaded, 5);
    await checkInvariant(platform.admin, after, await readEntries(owner.client, album.id));
  });

  test("an album still receiving photos refuses, and nothing changes", async () => {
    const user = await platform.newUser();
    const album = await readyAlbum(user);
    const rows = (await readEntries(user.client, album.id)).filter((row) => row.status === "uploaded");
    // A job takes the album on again (as a second archive would): it is `uploading` while that runs.
    await platform.admin.from("albums").update({ status: "uploading" }).eq("id", album.id);
    const result = await deletePhotos(asClient(user), album.id, [rows[0].idx]);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.reason, "busy");
    assert.match(!result.ok ? result.message : "", /still being added.*once the upload has finished/);
    assert.equal((await readEntries(user.client, album.id)).length, 6);
    assert.equal((await objectsUnder(`${user.id}/${album.id}`)).length, 5);
  });

  test("a deletion that stopped after its database step never shows a missing photo, and deleting again finishes it", async () => {
    const user = await platform.newUser();
    const album = await readyAlbum(user);
    const uploaded = (await readEntries(user.client, album.id)).filter((row) => row.status === "uploaded");

    // Only the transaction ran: the browser closed before Storage was asked to remove anything.
    const first = await user.client.rpc("delete_album_photos", { p_album: album.id, p_idx: [uploaded[0].idx, uploaded[1].idx] });
    assert.equal(first.error, null);
    assert.equal((first.data as { result: string }).result, "deleted");
    const rows = await readEntries(user.client, album.id);
    assert.equal(rows.filter((row) => row.status === "uploaded").length, 3);
    const stored = new Set(await objectsUnder(`${user.id}/${album.id}`));
    for (const row of rows.filter((row) => row.status === "uploaded")) assert.ok(stored.has(row.path!), "every row left has its object");
    assert.equal(stored.size, 5, "the two objects are still there, noted for removal");

    // The next deletion removes its own photo and the two left behind.
    const again = await deletePhotos(asClient(user), album.id, [uploaded[2].idx]);
    assert.deepEqual(again, { ok: true, deleted: 1, removedObjects: 3 });
    const after = await readAlbum(user.client, album.id);
    await checkInvariant(platform.admin, after, await readEntries(user.client, album.id));
    assert.equal(after.uploaded, 2);
    assert.equal(await finishPhotoRemovals(asClient(user), album.id), 0, "nothing is left to remove");
  });

  test("deleting photos already deleted changes nothing and succeeds", async () => {
    const user = await platform.newUser();
    const album = await readyAlbum(user);
    const [row] = (await readEntries(user.client, album.id)).filter((entry) => entry.status === "uploaded");
    assert.deepEqual(await deletePhotos(asClient(user), album.id, [row.idx]), { ok: true, deleted: 1, removedObjects: 1 });
    assert.deepEqual(await deletePhotos(asClient(user), album.id, [row.idx]), { ok: true, deleted: 0, removedObjects: 0 });
    assert.equal((await readAlbum(user.client, album.id)).uploaded, 4);
  });
});
