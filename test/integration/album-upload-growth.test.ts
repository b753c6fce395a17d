// An album holds one or more archives: a second zip dropped on an album adds its photos (its own plan,
// fingerprint and keys), a zip already imported into another album is recognised from its directory
// before its data is sent, and a 100,000-entry directory is recorded by one invocation.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { buildZip } from "./support/zip-builder.ts";
import { jpeg } from "./support/images.ts";
import { createAlbum, waitForEnd } from "./support/album-run.ts";
import { checkInvariant, checkStoredBytes, type Expected, readEntries } from "./support/album-checks.ts";
import { withPlatform } from "./support/platform.ts";
import { bufferSource, segmentsOf, sendDirectory, uploadSegmented } from "./support/segmented-upload.ts";

describe("album-upload: albums that grow, and archives already imported", () => {
  const platform = withPlatform();

  const roll = (seed: number, n: number) => Array.from({ length: n }, (_, i) => jpeg(30_000 + i * 100, seed + i));
  const first = roll(1, 5), second = roll(100, 4);
  // Both zips hold IMG_0.jpg …: the second archive's keys must not collide with the first's.
  const zipOf = (photos: Buffer[]) => buildZip(photos.map((data, i) => ({ name: `IMG_${i}.jpg`, data, method: "store" })));

  test("a second zip dropped on a ready album adds its photos; the album is ready again with both", async () => {
    const user = await platform.newUser();
    const album = await createAlbum(user);
    const options = { url: platform.url, accessToken: user.accessToken, albumId: album.id };
    const one = await uploadSegmented(options, bufferSource(zipOf(first), "one.zip"), { readSegments: segmentsOf(user.client) });
    assert.equal(one.directory.status, 200);
    assert.equal((await waitForEnd(user.client, album.id)).status, "ready");

    const two = await uploadSegmented(options, bufferSource(zipOf(second), "two.zip"), { readSegments: segmentsOf(user.client) });
    assert.equal(two.directory.status, 200, JSON.stringify(two.directory.body));
    assert.notEqual(two.directory.body.archive, one.directory.body.archive);
    assert.equal(two.directory.body.resumed, false);
    const ended = await waitForEnd(user.client, album.id);
    assert.equal(ended.status, "ready", ended.error ?? "");
    const rows = await readEntries(user.client, album.id);
    assert.equal(rows.length, first.length + second.length);
    assert.equal(ended.uploaded, first.length + second.length);
    await checkInvariant(platform.admin, ended, rows);
    const expected: Expected[] = [...first, ...second].map((bytes, i) => ({
      name: rows[i].name, status: "uploaded", key: rows[i].path!.split("/").slice(2).join("/"), bytes, type: "image/jpeg",
    }));
    await checkStoredBytes(user.client, rows, expected);
    assert.deepEqual(rows.slice(first.length).map((r) => r.path!.split("/").slice(2).join("/")), second.map((_, i) => `@2/IMG_${i}.jpg`));
    const { data: archives } = await user.client.from("album_archives").select("ordinal, name, status").eq("album_id", album.id).order("ordinal");
    assert.deepEqual(archives, [{ ordinal: 1, name: "one.zip", status: "done" }, { ordinal: 2, name: "two.zip", status: "done" }]);
  });

  test("a zip already imported is recognised from its directory and named by its album, before its data is sent", async () => {
    const user = await platform.newUser();
    const home = await createAlbum(user, "Home");
    const options = { url: platform.url, accessToken: user.accessToken, albumId: home.id };
    const archive = zipOf(first);
    await uploadSegmented(options, bufferSource(archive), { readSegments: segmentsOf(user.client) });
    await waitForEnd(user.client, home.id);
    const fresh = await createAlbum(user, "Again");
    const again = await sendDirectory({ ...options, albumId: fresh.id }, bufferSource(archive));
    assert.deepEqual([again.status, again.body.code, again.body.album], [409, "already_imported", home.id]);
    assert.deepEqual(await readEntries(user.client, fresh.id), []);
    // The browser can find it too, by the fingerprint it computes from the same tail bytes.
    const { data } = await user.client.from("album_archives").select("album_id").eq("fingerprint", String((await sendDirectory(options, bufferSource(archive))).body.fingerprint));
    assert.deepEqual(data, [{ album_id: home.id }]);
    // Another user's identical zip is theirs to import.
    const stranger = await platform.newUser();
    const theirs = await createAlbum(stranger);
    const accepted = await sendDirectory({ url: platform.url, accessToken: stranger.accessToken, albumId: theirs.id }, bufferSource(archive));
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
  });

  test("a 100,000-entry directory is recorded by one invocation under the Free limits", async () => {
    const user = await platform.newUser();
    const album = await createAlbum(user);
    const tiny = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);
    const archive = buildZip(Array.from({ length: 100_000 }, (_, i) => ({ name: `d${i % 100}/p${i}.jpg`, data: tiny, method: "store" })));
    const answer = await sendDirectory({ url: platform.url, accessToken: user.accessToken, albumId: album.id }, bufferSource(archive));
    assert.equal(answer.status, 200, JSON.stringify(answer.body).slice(0, 300));
    assert.equal(answer.body.entries, 100_000);
    const { count } = await user.client.from("album_entries").select("idx", { count: "exact", head: true }).eq("album_id", album.id);
    assert.equal(count, 100_000);
    const planned = answer.body.segments.reduce((sum, s) => sum + s.entries, 0);
    assert.equal(planned, 100_000, "every entry is in exactly one segment");
  });
});
