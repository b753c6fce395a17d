// A real interrupt: the platform runs the function with a CPU budget of 0.4 s per worker instead of 2 s
// (docs/supabase-behaviour.md#background-tasks-and-lifecycle: the soft limit retires the worker, 90 % of the hard one fires `beforeunload`, the
// hard one ends it), far too little for an archive of 1 500 photos (a small photo costs about 0.3–0.6 ms). CPU time, unlike wall-clock time,
// grows with the work done and not with the machine's load, so the first worker is always cut short.
// Each worker must leave a consistent `interrupted` album behind, and dropping the same zip again must
// finish it — every photo once, under the key it was planned with, byte for byte.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { buildZip } from "./support/zip-builder.ts";
import { jpeg } from "./support/images.ts";
import { AlbumFeed, createAlbum, eventually, postArchive, readAlbum, waitForEnd } from "./support/album-run.ts";
import { checkInvariant, checkStoredBytes, type Expected, readEntries } from "./support/album-checks.ts";
import { acceptedBody, assertStatus } from "./support/album-scenario.ts";
import { startTestPlatform, type TestPlatform } from "../../local-supabase/test/support/platform.ts";
import { withPlatform } from "./support/platform.ts";

const PHOTOS = 1_500;
const MAX_ROUNDS = 20;
/** interrupt.ts: out of wall-clock time, or out of CPU time, whichever limit the worker meets first. */
const OUT_OF_TIME = /^The server ran out of (time|processing time) for this upload\. Drop the same zip file on the album again to continue where it stopped\.$/;

describe("album-upload: a worker that runs out of time", () => {
  /** Workers that have ended, from the platform log ("[functions:<name>] worker ended: <reason>"). */
  const endedWorkers: string[] = [];
  const platform = withPlatform({
    functionLimits: { functionCpuSoftMs: 200, functionCpuHardMs: 400 },
    log: (line: string) => void (line.startsWith("[functions:album-upload] worker ended") && endedWorkers.push(line)),
  });

  test("leaves the album interrupted and consistent; the same zip resumes it until it is complete", async (t) => {
    const photos = Array.from({ length: PHOTOS }, (_, i) => jpeg(300 + (i % 50), i + 1));
    const names = photos.map((_, i) => `roll ${Math.floor(i / 150)}/IMG_${String(i).padStart(4, "0")}.jpg`);
    const archive = buildZip(photos.map((data, i) => ({ name: names[i], data, method: i % 2 ? "deflate" : "store" })));
    const expected: Expected[] = names.map((name, i) => ({ name, status: "uploaded", key: name, bytes: photos[i], type: "image/jpeg" }));

    const user = await platform.newUser();
    const { id } = await createAlbum(user);
    const feed = await AlbumFeed.join(user, id);
    const uploadedAfter: number[] = [];
    let album;
    try {
      for (let round = 1; ; round++) {
        assert.ok(round <= MAX_ROUNDS, `finished within ${MAX_ROUNDS} rounds (uploaded so far: ${uploadedAfter.join(", ")})`);
        const answer = await postArchive(platform.url, user.accessToken, id, archive);
        assert.equal(answer.status, 202, `round ${round}: ${JSON.stringify(answer.body)}`);
        assert.deepEqual(answer.body, acceptedBody(id, expected));
        album = await waitForEnd(user.client, id);
        if (album.status === "interrupted") {
          // Results that finished between beforeunload and the worker's end are still being written:
          // look at the album once this round's worker is gone (one fresh worker per round).
          await eventually(`worker ${round} to end`, async () => (endedWorkers.length >= round ? true : undefined), 30_000);
        }
        const settled = await settledAlbum(user.client, id);
        album = settled.album;
        const rows = settled.rows;
        await checkInvariant(platform.admin, album, rows);
        // An in-flight entry cut off by the end of its worker is not damaged: it stays pending.
        assert.deepEqual(rows.filter((r) => r.status !== "uploaded" && r.status !== "pending"), [], `round ${round}: only uploaded or pending rows`);
        uploadedAfter.push(album.uploaded);
        if (album.status !== "interrupted") break;
        assert.match(album.error ?? "", OUT_OF_TIME);
        assert.ok(album.uploaded > (uploadedAfter.at(-2) ?? 0), `round ${round} made progress (${uploadedAfter.join(", ")})`);
      }
      t.diagnostic(`photos uploaded after each round: ${uploadedAfter.join(", ")}`);
      assert.ok(uploadedAfter.length > 1, `the first worker was interrupted (uploaded per round: ${uploadedAfter.join(", ")})`);
      assertStatus(album, "ready", null);
      const rows = await readEntries(user.client, id);
      assert.equal(album.uploaded, PHOTOS);
      assert.deepEqual(rows.map((r) => r.path), names.map((n) => `${user.id}/${id}/${n}`), "every photo under its planned key");
      await checkStoredBytes(user.client, rows, expected);

      // The last round's broadcasts (from its `extracting`): the entries left to it, each reported once
      // as uploaded, the first at once and on its own, then `ready` after the final counters.
      await feed.waitForStatus("ready");
      const start = feed.received.findLastIndex((b) => b.event === "status" && b.payload.status === "extracting");
      const lastRound = feed.received.slice(start);
      const statuses = lastRound.flatMap((b) => (b.event === "status" ? [b.payload] : []));
      assert.deepEqual(statuses[0], { status: "extracting", error: null });
      assert.deepEqual(statuses.at(-1), { status: "ready", error: null });
      // A stop that lands while the last photos are in flight says `interrupted`, then `ready` once they land.
      assert.ok(statuses.slice(1, -1).every((p) => p.status === "interrupted"), JSON.stringify(statuses));
      assert.equal(lastRound.at(-1)!.event, "status", "ready comes last");
      const progress = lastRound.flatMap((b) => (b.event === "progress" ? [b.payload] : []));
      const before = uploadedAfter.at(-2)!;
      // A worker ended after its last upload but before it could say so leaves nothing to the next round.
      if (before === PHOTOS) {
        assert.deepEqual(progress, []);
        return;
      }
      assert.equal(progress[0].entries.length, 1);
      assert.equal(progress[0].uploaded, before + 1);
      const last = progress.at(-1)!;
      assert.deepEqual([last.total, last.uploaded, last.skipped, last.failed, last.bytesDone], [PHOTOS, PHOTOS, 0, 0, Number(album.bytes_done)]);
      const reported = progress.flatMap((p) => p.entries);
      assert.ok(reported.every((e) => e.status === "uploaded"));
      assert.equal(new Set(reported.map((e) => e.idx)).size, reported.length, "no entry reported twice");
      assert.equal(reported.length, PHOTOS - before, "the last round reported exactly the entries left to it");
    } finally {
      await feed.leave();
    }
  });

  test("an archive of 100,000 photos leaves the album interrupted, consistent, and further along at each drop", async () => {
    // 100 000 entries (the default ALBUM_MAX_ENTRIES) are listed within one invocation, but their photos
    // take far more CPU than it has, so the worker is stopped — while it writes rows or while it extracts.
    // This runs under the hosted budget (2 s, `beforeunload` at 90 %): the 0.2 s between the two is what
    // the function has to say `interrupted`, and the lowered budget of the other test would leave it a
    // fraction of that.
    const hosted = await startTestPlatform({
      log: (line: string) => void (line.startsWith("[functions:album-upload] worker ended") && endedWorkers.push(line)),
    });
    try {
      await dropHugeArchiveTwice(hosted);
    } finally {
      await hosted.close();
    }
  });

  /**
   * The album and its rows, read while the album did not change: a results write a worker sent just before
   * it ended may still land, and each write updates rows and counters in one transaction.
   */
  async function settledAlbum(client: Parameters<typeof readAlbum>[0], id: string) {
    return await eventually("the album to settle", async () => {
      const before = await readAlbum(client, id);
      const rows = await readEntries(client, id);
      const after = await readAlbum(client, id);
      return before.updated_at === after.updated_at ? { album: after, rows } : undefined;
    });
  }

  async function dropHugeArchiveTwice(platform: TestPlatform): Promise<void> {
    const service = platform.service();
    const entries = 100_000;
    const archive = buildZip(Array.from({ length: entries }, (_, i) => ({ name: `scan ${i}.jpg`, data: jpeg(40, i + 1) })));
    const user = await platform.newUser();
    const { id } = await createAlbum(user);
    let doneBefore = 0;
    for (let attempt = 1; attempt <= 2; attempt++) {
      const workersBefore = endedWorkers.length;
      const answer = await postArchive(platform.url, user.accessToken, id, archive);
      // Listed in time: 202, and the extraction runs out of time. Stopped while listing: 503 if the
      // function could still write, or the platform's 546 for a worker ended mid-request.
      if (answer.status === 202) assert.equal(answer.body.entries, entries);
      else if (answer.status === 503) assert.equal(answer.body.code, "interrupted");
      else assert.deepEqual([answer.status, answer.body.code], [546, "WORKER_LIMIT"], `attempt ${attempt}: ${JSON.stringify(answer.body)}`);
      await eventually(`worker of attempt ${attempt} to end`, async () => (endedWorkers.length > workersBefore ? true : undefined), 30_000);
      await waitForEnd(user.client, id);
      const { album, rows } = await settledAlbum(user.client, id);
      assert.equal(album.status, "interrupted", `attempt ${attempt}: never left extracting without a job (error: ${album.error})`);
      assert.match(album.error ?? "", OUT_OF_TIME);
      if (rows.length < entries) assert.ok(rows.every((r) => r.status === "pending"), "nothing is extracted before every row exists");
      await checkInvariant(service, album, rows);
      // Rows listed plus photos stored: the next drop does not list or store again what the last one did.
      const done = rows.length + album.uploaded;
      assert.ok(done > doneBefore, `attempt ${attempt}: ${rows.length} rows and ${album.uploaded} photos, after ${doneBefore}`);
      doneBefore = done;
    }
  }
});
