// A worker killed without warning (a crash, a platform restart, a stop too quick for `beforeunload`)
// leaves its album `extracting` with no job behind it. Once the album has gone unwritten for longer than
// any worker lives (migration 20261127000200), dropping the same zip resumes it like an interrupted
// album; before that the function refuses at once and says what is happening and how far it is.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { buildZip } from "./support/zip-builder.ts";
import { jpeg } from "./support/images.ts";
import { postArchive, readAlbum } from "./support/album-run.ts";
import { assertStatus, expectResumed, uploadToNewAlbum } from "./support/album-scenario.ts";
import { type Expected, readEntries } from "./support/album-checks.ts";
import { abandonExtraction, setLastWrite } from "./support/interrupt-album.ts";
import { withPlatform } from "./support/platform.ts";

/** extraction_stale_after(): six of a running job's 10 s heartbeats (migration 20261203001000). */
const STALE_AFTER_S = 60;
const STILL_EXTRACTING = /^This album is being imported right now \((\d+) of (\d+) files done\)\. Watch its progress; drop the zip again only if it stops\.$/;

describe("album-upload: an album left extracting by a dead worker", () => {
  const platform = withPlatform();

  const photos = Array.from({ length: 8 }, (_, i) => jpeg(20_000 + i * 1_000, i + 1));
  const names = photos.map((_, i) => `film/IMG_${i}.jpg`);
  const archive = buildZip(names.map((name, i) => ({ name, data: photos[i], method: i % 2 ? "deflate" : "store" })));
  const expected: Expected[] = names.map((name, i) => ({ name, status: "uploaded", key: name, bytes: photos[i], type: "image/jpeg" }));

  const staleIn = async (albumId: string) => {
    const { data, error } = await platform.admin.rpc("extraction_stale_in", { p_album: albumId });
    assert.equal(error, null);
    return data as number | null;
  };

  test("is refused while its job may be alive, and resumed with the same zip once it is evidently dead", async () => {
    const first = await uploadToNewAlbum(platform, archive);
    assertStatus(first.album, "ready", null);
    await first.feed.leave();
    const { user, album } = first;
    // Entry 3's photo reached Storage but its result was never recorded; 4 to 7 never started.
    const at = { pending: [3, 4, 5, 6, 7], keepObjects: [3] };

    // A job that wrote twenty seconds ago may be alive: refused before the archive is taken, nothing changes.
    await abandonExtraction(platform, platform.admin, album, at, 20);
    const live = await readAlbum(user.client, album.id);
    const rowsLive = await readEntries(user.client, album.id);
    const refused = await postArchive(platform.url, user.accessToken, album.id, archive);
    // Said as what is happening and how far it is, with a code the app uses to offer watching it.
    assert.deepEqual([refused.status, refused.body.code], [409, "extraction_running"]);
    assert.match(String(refused.body.message), STILL_EXTRACTING);
    assert.deepEqual(refused.body.progress, { done: live.uploaded + live.skipped + live.failed, total: live.entries_total });
    assert.deepEqual(await readAlbum(user.client, album.id), live);
    assert.deepEqual(await readEntries(user.client, album.id), rowsLive);

    // Every write a job makes refreshes the album's last write, so a working job never looks dead.
    await setLastWrite(platform, album.id, STALE_AFTER_S + 60);
    assert.equal(await staleIn(album.id), 0);
    const signsOfLife = [["record_entry_results", { p_results: [] }], ["insert_album_entries", { p_rows: [] }], ["extraction_heartbeat", {}]] as const;
    for (const [fn, args] of signsOfLife) {
      const { error } = await platform.admin.rpc(fn, { p_album: album.id, ...args });
      assert.equal(error, null);
      assert.ok((await staleIn(album.id))! > STALE_AFTER_S - 30, `${fn} counts as a sign of life`);
      await setLastWrite(platform, album.id, STALE_AFTER_S + 60);
    }

    // Dead: another archive is still not accepted, and the album stays as it was.
    const other = buildZip([{ name: "other.jpg", data: jpeg(10_000, 99) }]);
    const wrong = await postArchive(platform.url, user.accessToken, album.id, other);
    assert.deepEqual([wrong.status, wrong.body.code], [409, "different_archive"]);
    const dead = await readAlbum(user.client, album.id);
    assertStatus(dead, "extracting", null);
    assert.equal(dead.uploaded, 3);
    assert.equal(await staleIn(album.id), 0, "a refused archive does not make the album look alive");

    // The same zip resumes it: only the entries the dead job left are extracted, each photo stored once.
    const resumed = await expectResumed(platform, user, album.id, archive, expected, at.pending);
    assert.equal(resumed.uploaded, photos.length);
  });

  test("an album that is not extracting has no stale verdict", async () => {
    const { album, feed } = await uploadToNewAlbum(platform, archive);
    await feed.leave();
    assert.equal(await staleIn(album.id), null);
  });
});
