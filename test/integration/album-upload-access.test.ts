// album-upload through the local platform: who may upload to which album, in which state, and how an
// interrupted album is resumed with the same archive (docs/architecture.md#resuming).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ANON_KEY } from "../../local-supabase/test/support/platform.ts";
import { buildZip } from "./support/zip-builder.ts";
import { jpeg, png, text } from "./support/images.ts";
import { AlbumFeed, createAlbum, postArchive, readAlbum, waitForEnd } from "./support/album-run.ts";
import { assertStatus, checkOutcome, expectResumed, uploadToNewAlbum } from "./support/album-scenario.ts";
import { type Expected, readEntries } from "./support/album-checks.ts";
import { interruptAlbum, INTERRUPTED } from "./support/interrupt-album.ts";
import { withPlatform } from "./support/platform.ts";
import { PROBLEMS } from "../../supabase/functions/_shared/upload-protocol.ts";

const JPEG = "image/jpeg";

/** What GET publishes beside the limits for segment plans (upload-protocol.ts, InvocationFigures). */
const SEGMENT_FIGURES = [
  "tmpBytes", "segmentsPerWorker", "maxSegmentBytes", "maxEntrySegmentBytes", "cpuMs", "cpuShare", "cpuMsPerEntry",
  "cpuMsPerStoredMiB", "cpuMsPerDeflatedMiB", "extractMsPerEntry", "extractMsPerMiB", "wallClockMs", "sendSeconds",
  "assumedUploadRate", "singleRequestBytes", "archiveCeilingBytes", "maxDirectoryBytes",
];
const pick = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, o[k]]));

describe("album-upload: access, album states and resuming", () => {
  const platform = withPlatform();

  const photos = [jpeg(30_000, 1), png(20_000, 2), jpeg(250_000, 3), jpeg(40_000, 4), png(9_000, 5)];
  const names = ["01.jpg", "02.png", "trip/03.jpg", "trip/04.jpg", "05.png"];
  const archive = buildZip(names.map((name, i) => ({ name, data: photos[i], method: i % 2 ? "deflate" : "store" })));
  const expected: Expected[] = names.map((name, i) => ({
    name, status: "uploaded", key: name, bytes: photos[i], type: name.endsWith(".png") ? "image/png" : JPEG,
  }));

  test("GET answers the limits in force", async () => {
    const user = await platform.newUser();
    const response = await fetch(`${platform.url}/functions/v1/album-upload`, {
      headers: { Authorization: `Bearer ${user.accessToken}`, apikey: ANON_KEY },
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    const figures = await response.json();
    assert.deepEqual({ ...figures, ...pick(figures, SEGMENT_FIGURES) }, {
      archiveBytes: 256 * 1024 * 1024,
      // A segmented archive may unpack to what the ceiling lets in; one request still to 2 GiB.
      uncompressedBytes: 50e9,
      bytesPerPhoto: 50 * 1024 * 1024,
      entryCount: 100_000,
      maxRatio: 100,
      ...pick(figures, SEGMENT_FIGURES),
    });
    // The per-invocation figures segment plans use, from the hosted Free plan's limits.
    assert.equal(figures.tmpBytes, 256 * 1024 * 1024);
    assert.equal(figures.singleRequestBytes, 256 * 1024 * 1024);
    assert.equal(figures.archiveCeilingBytes, 50e9);
    assert.equal(figures.cpuMs, 2000);
    assert.equal(figures.wallClockMs, 150_000);
    assert.ok(figures.maxSegmentBytes * figures.segmentsPerWorker <= figures.tmpBytes);
  });

  test("the anon key alone is not a user: 401, and the album is untouched", async () => {
    const owner = await platform.newUser();
    const album = await createAlbum(owner);
    const answer = await postArchive(platform.url, ANON_KEY, album.id, archive);
    assert.equal(answer.status, 401);
    assert.equal(answer.body.code, "unauthorized");
    assertStatus(await readAlbum(owner.client, album.id), "uploading", null);
  });

  test("another user cannot upload to someone else's album: 404, nothing written", async () => {
    const owner = await platform.newUser();
    const stranger = await platform.newUser();
    const album = await createAlbum(owner);
    const answer = await postArchive(platform.url, stranger.accessToken, album.id, archive);
    assert.equal(answer.status, 404);
    assert.deepEqual(answer.body, { code: "not_found", message: "No such album, or it is not yours. Reload the page to see your albums." });
    const after = await readAlbum(owner.client, album.id);
    assertStatus(after, "uploading", null);
    assert.equal(after.source_fingerprint, null);
    assert.deepEqual(await readEntries(owner.client, album.id), []);
    const { data } = await platform.admin.storage.from("photos").list(`${owner.id}/${album.id}`);
    assert.deepEqual(data, []);
  });

  test("an album that is already ready refuses another archive with 409", async () => {
    const first = await uploadToNewAlbum(platform, archive);
    assertStatus(first.album, "ready", null);
    await first.feed.leave();
    const again = await postArchive(platform.url, first.user.accessToken, first.album.id, archive);
    assert.equal(again.status, 409);
    assert.deepEqual(again.body, {
      code: "wrong_status",
      message: "This album is ready; only a new album or an interrupted one accepts a whole archive. Drop the zip in the app to add it to this album.",
    });
    assert.deepEqual(await readAlbum(first.user.client, first.album.id), first.album);
    assert.deepEqual(await readEntries(first.user.client, first.album.id), first.rows);
  });

  test("two uploads to the same album at once: one is accepted, the other refused, nothing doubled", async () => {
    const user = await platform.newUser();
    const album = await createAlbum(user);
    const feed = await AlbumFeed.join(user, album.id);
    const answers = await Promise.all([1, 2].map(() => postArchive(platform.url, user.accessToken, album.id, archive)));
    const [accepted, refused] = answers[0].status === 202 ? answers : [answers[1], answers[0]];
    assert.equal(accepted.status, 202, JSON.stringify(answers));
    assert.equal(refused.status, 409, JSON.stringify(answers));
    // "extraction_running" while the first is received or extracted; "wrong_status" once it has
    // already finished the album.
    assert.ok(["extraction_running", "wrong_status"].includes(String(refused.body.code)), JSON.stringify(refused.body));
    const ended = await waitForEnd(user.client, album.id);
    assertStatus(ended, "ready", null);
    const rows = await readEntries(user.client, album.id);
    await checkOutcome(platform.admin, { user, answer: accepted, album: ended, rows, feed }, expected);
  });

  test("re-posting the same archive resumes an interrupted album without duplicates", async () => {
    const first = await uploadToNewAlbum(platform, archive);
    assertStatus(first.album, "ready", null);
    await first.feed.leave();
    const { user, album } = first;
    // Entry 2's photo reached Storage but its result was never recorded; entries 3 and 4 never started.
    await interruptAlbum(platform, platform.admin, album, { pending: [2, 3, 4], keepObjects: [2] });
    const interrupted = await readAlbum(user.client, album.id);
    assertStatus(interrupted, "interrupted", INTERRUPTED);
    assert.equal(interrupted.uploaded, 2);

    await expectResumed(platform, user, album.id, archive, expected, [2, 3, 4]);
  });

  test("an interrupted album refuses a different archive with 409 and stays resumable", async () => {
    const first = await uploadToNewAlbum(platform, archive);
    await first.feed.leave();
    const { user, album } = first;
    await interruptAlbum(platform, platform.admin, album, { pending: [3, 4], keepObjects: [] });
    const before = await readAlbum(user.client, album.id);
    const rowsBefore = await readEntries(user.client, album.id);

    const other = buildZip([{ name: "01.jpg", data: jpeg(30_000, 99) }]);
    const refused = await postArchive(platform.url, user.accessToken, album.id, other);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, "different_archive");
    assert.match(String(refused.body.message), /not the archive this album was made from/);
    assert.deepEqual(await readAlbum(user.client, album.id), before);
    assert.deepEqual(await readEntries(user.client, album.id), rowsBefore);

    // Not a zip at all: refused, but the album stays `interrupted` so the right zip can still resume it.
    const notZip = await postArchive(platform.url, user.accessToken, album.id, text("hello"));
    assert.equal(notZip.status, 415);
    assertStatus(await readAlbum(user.client, album.id), "interrupted", PROBLEMS.not_zip.message);

    await expectResumed(platform, user, album.id, archive, expected, [3, 4]);
  });
});
