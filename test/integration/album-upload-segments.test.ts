// The segmented upload through the local platform with hosted Free limits and a small /tmp quota: an
// archive several times the quota arrives as its directory and planned segments, each its own
// invocation, and lands whole — every photo once, the invariant kept, the album ready only at the end.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { buildZip } from "./support/zip-builder.ts";
import { jpeg } from "./support/images.ts";
import { createAlbum, postArchive, readAlbum, waitForEnd } from "./support/album-run.ts";
import { assertStatus } from "./support/album-scenario.ts";
import { checkInvariant, checkStoredBytes, type Expected, readEntries } from "./support/album-checks.ts";
import { bufferSource, segmentsOf, sendDirectory, sendSegment, uploadSegmented } from "./support/segmented-upload.ts";
import { withPlatform } from "./support/platform.ts";

const MiB = 1024 * 1024;
/** A test-sized /tmp: segments are planned to a sixth of it (less margin). */
const TMP_BYTES = 6 * MiB;

describe("album-upload: segmented upload", () => {
  const platform = withPlatform({ tmpBytes: TMP_BYTES });

  const photos = Array.from({ length: 40 }, (_, i) => jpeg(400_000 + i * 1000, i + 1));
  const names = photos.map((_, i) => `trip/IMG_${String(i).padStart(4, "0")}.jpg`);
  const archive = buildZip(names.map((name, i) => ({ name, data: photos[i], method: i % 3 ? "store" : "deflate" })));
  const expected: Expected[] = names.map((name, i) => ({ name, status: "uploaded", key: name, bytes: photos[i], type: "image/jpeg" }));

  test("an archive several times the /tmp quota arrives in planned segments and lands whole", async () => {
    assert.ok(archive.length > 2.5 * TMP_BYTES, `archive ${archive.length} bytes`);
    const user = await platform.newUser();
    const album = await createAlbum(user);
    const options = { url: platform.url, accessToken: user.accessToken, albumId: album.id };
    const run = await uploadSegmented(options, bufferSource(archive));
    assert.equal(run.directory.status, 200, JSON.stringify(run.directory.body));
    const plan = run.directory.body;
    assert.equal(plan.entries, 40);
    assert.equal(plan.photos, 40);
    assert.ok(plan.segments.length >= 4, `${plan.segments.length} segments`);
    for (const s of plan.segments) assert.ok(s.end - s.start <= TMP_BYTES / 6, `segment ${s.index} is ${s.end - s.start} bytes`);
    // /tmp may be full for a moment while earlier segments still extract: a retry, never a refusal.
    assert.deepEqual(run.answers.filter((a) => a.status !== 202 && a.code !== "tmp_full"), []);
    assert.equal(new Set(run.answers.filter((a) => a.status === 202).map((a) => a.index)).size, plan.segments.length);
    const ended = await waitForEnd(user.client, album.id);
    assert.equal(ended.status, "ready", ended.error ?? "");
    const rows = await readEntries(user.client, album.id);
    assert.equal(rows.length, 40);
    assert.ok(rows.every((r) => r.status === "uploaded"));
    await checkInvariant(platform.service(), ended, rows);
    await checkStoredBytes(user.client, rows, expected);

    // The same zip again is a resume with nothing left: every segment is done, none is sent.
    const again = await sendDirectory(options, bufferSource(archive));
    assert.equal(again.status, 200);
    assert.equal(again.body.resumed, true);
    assert.deepEqual(again.body.segments.map((s) => s.status), plan.segments.map(() => "done"));
    const repeat = await sendSegment(options, plan.archive, plan.segments[0], archive.subarray(plan.segments[0].start, plan.segments[0].end));
    assert.deepEqual([repeat.status, repeat.body.code], [200, "segment_done"]);
    assert.equal((await readAlbum(user.client, album.id)).status, "ready");
  });
});

describe("album-upload: whole zips that do not fit one worker's /tmp together", () => {
  const platform = withPlatform({ tmpBytes: TMP_BYTES });

  test("a /tmp full of another user's upload is a retry, never a failed album", async () => {
    const zips = [1, 2, 3].map((seed) => buildZip(Array.from({ length: 8 }, (_, i) => ({ name: `p${i}.jpg`, data: jpeg(400_000, seed * 100 + i), method: "store" }))));
    const users = await Promise.all(zips.map(() => platform.newUser()));
    const albums = await Promise.all(users.map((user) => createAlbum(user)));
    // Three 3.2 MB zips at once on one worker with 6 MiB of /tmp: at most one spool fits beside another.
    const answers = await Promise.all(zips.map((zip, i) => postArchive(platform.url, users[i].accessToken, albums[i].id, zip)));
    assert.deepEqual(answers.filter((a) => a.status !== 202 && a.body.code !== "tmp_full"), [], JSON.stringify(answers.map((a) => a.body)));
    const full = answers.flatMap((a, i) => (a.status === 503 ? [i] : []));
    assert.ok(full.length >= 1, "at least one upload found /tmp full");
    for (const i of full) {
      assert.ok(Number(answers[i].body.retryAfterSeconds) > 0, "says when to try again");
      assertStatus(await readAlbum(users[i].client, albums[i].id), "uploading", null);
    }
    for (const i of answers.keys()) if (!full.includes(i)) assert.equal((await waitForEnd(users[i].client, albums[i].id)).status, "ready");
    // Sent again once the others are done, each is taken.
    for (const i of full) {
      const again = await postArchive(platform.url, users[i].accessToken, albums[i].id, zips[i]);
      assert.equal(again.status, 202, JSON.stringify(again.body));
      assert.equal((await waitForEnd(users[i].client, albums[i].id)).status, "ready");
    }
  });
});

describe("album-upload: segments whose workers run out of CPU", () => {
  /** Workers that have ended, from the platform log ("[functions:album-upload] worker ended: <reason>"). */
  const ended: string[] = [];
  // A tenth of the hosted CPU budget, and no gap between retiring a worker and stopping it: the plan
  // still assumes 2 s, so a worker is stopped while its segments are being extracted however cheap each
  // photo has become (with a gap, a retired worker could finish its last small segments first).
  const platform = withPlatform({
    tmpBytes: TMP_BYTES,
    functionLimits: { functionCpuSoftMs: 200, functionCpuHardMs: 200 },
    log: (line: string) => void (line.startsWith("[functions:album-upload] worker ended") && ended.push(line)),
  });

  test("a worker stopped mid-segment lets the segment go; sent again, it lands with no photo lost or doubled", async () => {
    const photos = Array.from({ length: 600 }, (_, i) => jpeg(8_000 + (i % 40) * 50, i + 1));
    const names = photos.map((_, i) => `roll/IMG_${String(i).padStart(4, "0")}.jpg`);
    const archive = buildZip(names.map((name, i) => ({ name, data: photos[i], method: i % 2 ? "deflate" : "store" })));
    const expected: Expected[] = names.map((name, i) => ({ name, status: "uploaded", key: name, bytes: photos[i], type: "image/jpeg" }));
    const user = await platform.newUser();
    const album = await createAlbum(user);
    const run = await uploadSegmented({ url: platform.url, accessToken: user.accessToken, albumId: album.id }, bufferSource(archive), {
      readSegments: segmentsOf(user.client),
    });
    assert.equal(run.directory.status, 200, JSON.stringify(run.directory.body));
    const final = await waitForEnd(user.client, album.id);
    assert.ok(ended.length >= 1, "at least one worker ran out of CPU");
    assert.ok(run.resent >= 1 || run.answers.some((a) => a.code === "worker_limit"), `segments sent again: ${run.resent}`);
    assert.equal(final.status, "ready", final.error ?? "");
    const rows = await readEntries(user.client, album.id);
    assert.equal(rows.filter((r) => r.status === "uploaded").length, photos.length);
    await checkInvariant(platform.admin, final, rows);
    await checkStoredBytes(user.client, rows, expected);
  });
});
