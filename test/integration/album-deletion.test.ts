// Deleting an album while its archive is still being extracted (docs/architecture.md#deleting-an-album),
// through the real function, Storage and database, with the app's own deletion code: once the job has
// ended nothing remains under `<owner>/<album>/`, the row and its entries are gone, and the job logged
// why it stopped instead of crashing. A deletion that stopped half-way is finished by running it again.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { SupabaseClient } from "@supabase/supabase-js";
import { deleteAlbumCompletely, type DeletionClient, removeOrphanedFolders } from "../../lib/album-deletion.ts";
import { buildZip } from "./support/zip-builder.ts";
import { jpeg } from "./support/images.ts";
import { createAlbum, eventually, postArchive, readAlbum, type User } from "./support/album-run.ts";
import { withPlatform } from "./support/platform.ts";
import { objectPagesUnder } from "../../lib/storage-walk.ts";
import { bufferSource, uploadSegmented } from "./support/segmented-upload.ts";

const PHOTOS = 2_000;

/** Every object key under `folder`, by full key (storage-walk.ts: a flat list-v2 walk, as the service role). */
async function objectsUnder(service: SupabaseClient, folder: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of objectPagesUnder(service.storage.from("photos"), folder)) keys.push(...page.map((item) => item.key));
  return keys;
}

const asDeletionClient = (user: User) => user.client as unknown as DeletionClient;

describe("deleting an album", () => {
  const logs: string[] = [];
  const platform = withPlatform({ log: (line: string) => void logs.push(line) });

  test("while its archive is being extracted leaves nothing in Storage once the job has ended", async (t) => {
    const photos = Array.from({ length: PHOTOS }, (_, i) => jpeg(2_000 + (i % 7) * 100, i + 1));
    const archive = buildZip(photos.map((data, i) => ({ name: `roll ${i % 4}/IMG_${String(i).padStart(4, "0")}.jpg`, data })));
    const user = await platform.newUser();
    const { id } = await createAlbum(user);
    const prefix = `${user.id}/${id}`;

    const answer = await postArchive(platform.url, user.accessToken, id, archive);
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    // Delete once photos are landing, well before the job is through.
    const uploadedAtDeletion = await eventually("photos to land", async () => {
      const album = await readAlbum(user.client, id);
      return album.uploaded >= 50 ? album.uploaded : undefined;
    });
    const result = await deleteAlbumCompletely(asDeletionClient(user), user.id, id);
    assert.ok(result.ok, JSON.stringify(result));
    t.diagnostic(`deleted after ${uploadedAtDeletion} of ${PHOTOS} photos were recorded; the deletion removed ${result.removedPhotos}`);
    assert.ok(uploadedAtDeletion < PHOTOS, "the job was still running");

    const stopped = await eventually("the job to log that the album was deleted", async () =>
      logs.find((line) => line.includes(`album ${id} was deleted during its extraction`)), 60_000);
    t.diagnostic(stopped);
    assert.match(stopped, /stopped, and removed the \d+ photos this job had stored/);
    assert.deepEqual(await objectsUnder(platform.admin, prefix), [], "nothing is left under the album's prefix");
    assert.equal((await platform.admin.from("albums").select("id").eq("id", id)).data?.length, 0, "the row is gone");
    assert.equal((await platform.admin.from("album_entries").select("idx").eq("album_id", id)).data?.length, 0, "its entries are gone");
    assert.deepEqual(logs.filter((line) => /Cannot read properties of null/.test(line)), []);
  });

  test("the job's own part: once it learns of the mark it removes every photo it stored", async () => {
    const photos = Array.from({ length: PHOTOS }, (_, i) => jpeg(2_000, i + 1));
    const archive = buildZip(photos.map((data, i) => ({ name: `IMG_${String(i).padStart(4, "0")}.jpg`, data })));
    const user = await platform.newUser();
    const { id } = await createAlbum(user);
    assert.equal((await postArchive(platform.url, user.accessToken, id, archive)).status, 202);
    await eventually("photos to land", async () => ((await readAlbum(user.client, id)).uploaded >= 50 ? true : undefined));
    // Only the mark: nobody lists or removes anything, so whatever goes was removed by the job.
    const marked = await user.client.rpc("begin_album_deletion", { p_album: id });
    assert.equal(marked.data, "deleting", marked.error?.message);
    await eventually("the job to stop", async () =>
      logs.find((line) => line.includes(`album ${id} was deleted during its extraction`)), 60_000);
    assert.deepEqual(await objectsUnder(platform.admin, `${user.id}/${id}`), []);
    const album = await readAlbum(user.client, id);
    assert.ok(album.uploaded < PHOTOS, `the job stopped early (${album.uploaded} of ${PHOTOS} recorded)`);
    assert.ok((await deleteAlbumCompletely(asDeletionClient(user), user.id, id)).ok);
  });

  test("that stopped half-way is finished by deleting it again", async () => {
    const user = await platform.newUser();
    const archive = buildZip(Array.from({ length: 30 }, (_, i) => ({ name: `a/b/IMG_${i}.jpg`, data: jpeg(1_000, i + 1) })));
    const { id } = await createAlbum(user);
    assert.equal((await postArchive(platform.url, user.accessToken, id, archive)).status, 202);
    await eventually("the album to be ready", async () => ((await readAlbum(user.client, id)).status === "ready" ? true : undefined));

    // The first attempt got as far as the mark (the browser was closed, say).
    const marked = await user.client.rpc("begin_album_deletion", { p_album: id });
    assert.deepEqual([marked.error, marked.data], [null, "deleting"]);
    const half = await readAlbum(user.client, id);
    assert.ok(half.deleting_at, "the album says it is being deleted");
    const rename = await user.client.from("albums").update({ name: "Renamed" }).eq("id", id).select();
    assert.equal(rename.status, 410);
    assert.equal(rename.error?.hint, "album_deleting");
    // The function takes no archive for it either.
    const resend = await postArchive(platform.url, user.accessToken, id, archive);
    assert.deepEqual([resend.status, resend.body.code, resend.body.message],
      [404, "not_found", "This album is being deleted, so it takes no archive. Create a new album for this zip."]);

    const result = await deleteAlbumCompletely(asDeletionClient(user), user.id, id);
    assert.deepEqual(result, { ok: true, removedPhotos: 30 });
    assert.deepEqual(await objectsUnder(platform.admin, `${user.id}/${id}`), []);
    assert.equal((await platform.admin.from("albums").select("id").eq("id", id)).data?.length, 0);
  });

  test("photos an earlier deletion left without an album are found and removed; albums keep theirs", async () => {
    const user = await platform.newUser();
    const archive = buildZip([{ name: "IMG_1.jpg", data: jpeg(1_000, 1) }, { name: "x/IMG_2.jpg", data: jpeg(1_000, 2) }]);
    const { id } = await createAlbum(user);
    assert.equal((await postArchive(platform.url, user.accessToken, id, archive)).status, 202);
    await eventually("the album to be ready", async () => ((await readAlbum(user.client, id)).status === "ready" ? true : undefined));
    // What the old deletion left behind: objects under a folder whose album row is long gone.
    const orphan = crypto.randomUUID();
    for (const key of [`${user.id}/${orphan}/IMG_9.jpg`, `${user.id}/${orphan}/deep/IMG_10.jpg`]) {
      const { error } = await platform.admin.storage.from("photos").upload(key, jpeg(500, 9), { contentType: "image/jpeg" });
      assert.equal(error, null, error?.message);
    }
    assert.equal(await removeOrphanedFolders(asDeletionClient(user), user.id), 2);
    assert.deepEqual(await objectsUnder(platform.admin, `${user.id}/${orphan}`), []);
    assert.equal((await objectsUnder(platform.admin, `${user.id}/${id}`)).length, 2, "the album's photos stay");
  });

  test("empties folders whose names differ only in case", async () => {
    const user = await platform.newUser();
    const { id } = await createAlbum(user);
    const prefix = `${user.id}/${id}`;
    // As an archive with `a/IMG.jpg` and `A/IMG (4).jpg` leaves them; list() shows the two folders as one.
    const keys = [`${prefix}/a/x.jpg`, `${prefix}/A/y.jpg`, `${prefix}/A/b/z.jpg`];
    for (const [i, key] of keys.entries()) {
      const { error } = await platform.admin.storage.from("photos").upload(key, jpeg(500, i + 1), { contentType: "image/jpeg" });
      assert.equal(error, null, error?.message);
    }
    assert.deepEqual((await objectsUnder(platform.admin, prefix)).sort(), [...keys].sort());
    const result = await deleteAlbumCompletely(asDeletionClient(user), user.id, id);
    assert.deepEqual(result, { ok: true, removedPhotos: 3 });
    assert.deepEqual(await objectsUnder(platform.admin, prefix), [], "nothing is left under the album's prefix");
    assert.equal((await platform.admin.from("albums").select("id").eq("id", id)).data?.length, 0, "the row is gone");
  });

  test("is the only way a signed-in user removes an album that has received an archive", async () => {
    const user = await platform.newUser();
    const archive = buildZip([{ name: "IMG_1.jpg", data: jpeg(1_000, 1) }]);
    const { id } = await createAlbum(user);
    assert.equal((await postArchive(platform.url, user.accessToken, id, archive)).status, 202);
    await eventually("the album to be ready", async () => ((await readAlbum(user.client, id)).status === "ready" ? true : undefined));
    // Deleting the row directly would strand its photo: the delete policy lets no row go unmarked.
    const direct = await user.client.from("albums").delete().eq("id", id).select("id");
    assert.deepEqual([direct.error, direct.data], [null, []]);
    assert.equal((await readAlbum(user.client, id)).id, id);
    // An album that never received an archive holds nothing and may simply be deleted.
    const empty = await createAlbum(user, "Empty");
    const gone = await user.client.from("albums").delete().eq("id", empty.id).select("id");
    assert.deepEqual(gone.data, [{ id: empty.id }]);
  });
});

describe("deleting an album whose archive arrives in segments", () => {
  const MiB = 1024 * 1024;
  /** A test-sized /tmp, so the archive is planned as several segments extracted by several workers at once. */
  const TMP_BYTES = 6 * MiB;
  const logs: string[] = [];
  // Many small photos per segment, each upload a hosted-like round trip away, so a segment job is still
  // part-way through its entries when the album is marked (eight small photos go at once, so a segment of
  // a few large ones would be done before the deletion reached it).
  const platform = withPlatform({ tmpBytes: TMP_BYTES, latency: "100ms", log: (line: string) => void logs.push(line) });

  test("stops every segment job, each removes what it stored, and nothing is left once they have ended", async (t) => {
    const photos = Array.from({ length: 600 }, (_, i) => jpeg(8_000 + i * 10, i + 1));
    const archive = buildZip(photos.map((data, i) => ({ name: `day ${i % 3}/IMG_${String(i).padStart(4, "0")}.jpg`, data })));
    const user = await platform.newUser();
    const { id } = await createAlbum(user);
    const prefix = `${user.id}/${id}`;
    const sending = uploadSegmented({ url: platform.url, accessToken: user.accessToken, albumId: id }, bufferSource(archive))
      .then((run) => run, (error: Error) => error);
    // Marked while a segment job is part-way through its entries (its lease live, some of its photos
    // stored), so that job, at least, must stop and clean up.
    const recorded = await eventually("photos to land while a segment is part-way extracted", async () => {
      const album = await readAlbum(user.client, id);
      if (album.uploaded < 10) return undefined;
      const { data: leased } = await platform.admin.from("album_segments").select("idx")
        .eq("album_id", id).eq("status", "pending").gt("lease_expires_at", new Date().toISOString());
      if (!leased?.length) return undefined;
      const { count } = await platform.admin.from("album_entries").select("idx", { count: "exact", head: true })
        .eq("album_id", id).eq("status", "uploaded").in("segment", leased.map((s) => s.idx));
      return count ? album.uploaded : undefined;
    });
    const result = await deleteAlbumCompletely(asDeletionClient(user), user.id, id);
    assert.ok(result.ok, JSON.stringify(result));
    // Segments not yet sent are refused from here on; the sender stops at the first refusal.
    const sent = await sending;
    t.diagnostic(`deleted after ${recorded} of ${photos.length} photos were recorded; sending ended with: ${sent instanceof Error ? sent.message : "every segment accepted"}`);
    // A segment arriving while the album is marked finds it being deleted; one arriving after the row
    // (and with it the plan) is gone finds no such part.
    if (sent instanceof Error) assert.match(sent.message, / (404 not_found|422 segment_unknown): /);

    // Jobs that were extracting when the album was marked each say so once they have cleaned up.
    await eventually("a segment job to report the deletion", async () =>
      logs.find((line) => line.includes(`album ${id} was deleted during its extraction`)), 60_000);
    await eventually("the album's folder to be empty", async () =>
      ((await objectsUnder(platform.admin, prefix)).length === 0 ? true : undefined), 60_000);
    // And it stays empty: no job still running stores anything after the fact.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    assert.deepEqual(await objectsUnder(platform.admin, prefix), []);
    assert.equal((await platform.admin.from("albums").select("id").eq("id", id)).data?.length, 0);
    t.diagnostic(logs.filter((line) => line.includes(`album ${id} was deleted during`)).join("\n"));
    assert.deepEqual(logs.filter((line) => line.includes(id) && /Cannot read properties|could not finish/.test(line)), []);
  });
});
