import { test } from "node:test";
import assert from "node:assert/strict";
import { UploadCancelled, UploadError } from "./upload-error.ts";
import { UploadQueue, type QueueDeps, type UploadRun } from "./upload-queue.ts";
import type { ArchivePlan } from "./upload-sequence.ts";
import type { PreflightReport } from "./zip-preflight.ts";

const file = (name: string, size = 100) => new File([new Uint8Array(size)], name, { lastModified: 1 });
const report = { blocked: false } as PreflightReport;

/** Deps that record what the queue asked for; `upload` decides each run's fate. */
function fakeDeps(upload: (run: UploadRun, call: number) => Promise<{ sent: number; rate: number }>) {
  const calls = { created: [] as string[], deleted: [] as string[], uploads: [] as string[], started: [] as string[], watched: 0, left: 0, leaves: [] as string[] };
  let albums = 0;
  const deps: QueueDeps = {
    preflight: async () => report,
    createAlbum: async () => {
      const id = `new-${++albums}`;
      calls.created.push(id);
      return id;
    },
    deleteAlbum: async (id) => void calls.deleted.push(id),
    watch: async () => {
      calls.watched++;
      return () => void calls.left++;
    },
    upload: (run) => {
      calls.uploads.push(run.albumId);
      return upload(run, calls.uploads.length);
    },
    onAlbumStarted: (id) => void calls.started.push(id),
    leave: (id) => void calls.leaves.push(id),
  };
  return { deps, calls };
}

async function ready(queue: UploadQueue) {
  while (queue.getSnapshot().items.some((i) => i.phase === "checking")) await new Promise((resolve) => setImmediate(resolve));
}

test("a home-page drop gets a new album, shown as soon as its directory is planned, and ends accepted", async () => {
  const { deps, calls } = fakeDeps(async (run) => {
    run.onPlan();
    return { sent: 3, rate: 1000 };
  });
  const queue = new UploadQueue(deps);
  queue.add([file("trip.zip")]);
  await ready(queue);
  await queue.start();
  assert.deepEqual(calls.created, ["new-1"]);
  assert.deepEqual(calls.started, ["new-1"]);
  assert.equal(calls.watched, calls.left, "the channel is left once the archive is sent");
  assert.deepEqual(queue.getSnapshot().items.map((i) => [i.phase, i.albumId]), [["accepted", "new-1"]]);
});

test("an album whose directory was never taken is removed; one with a plan is kept to be resumed", async () => {
  const { deps, calls } = fakeDeps(async (run, call) => {
    if (call === 2) run.onPlan();
    throw new UploadError("network");
  });
  const queue = new UploadQueue(deps);
  queue.add([file("one.zip"), file("two.zip")]);
  await ready(queue);
  await queue.start();
  assert.deepEqual(calls.deleted, ["new-1"]);
  const items = queue.getSnapshot().items;
  assert.deepEqual(items.map((i) => [i.phase, i.albumId]), [["failed", undefined], ["failed", "new-2"]]);
  assert.match(items[0].error ?? "", /connection was lost/);
});

test("a zip already imported goes to its own album: missing parts are sent there, else that album is offered", async () => {
  for (const [sent, phase] of [[2, "accepted"], [0, "duplicate"]] as const) {
    const { deps, calls } = fakeDeps(async (run, call) => {
      if (call === 1) throw new UploadError("already_imported", { album: "old-album" });
      const status = sent > 0 ? "pending" : "done";
      run.onPlan({ segments: [{ index: 0, start: 0, end: 1, entries: 1, status }] } as ArchivePlan);
      return { sent, rate: 0 };
    });
    const queue = new UploadQueue(deps);
    queue.add([file("trip.zip")]);
    await ready(queue);
    await queue.start();
    assert.deepEqual(calls.deleted, ["new-1"], "no silent duplicate album is left behind");
    assert.deepEqual(calls.uploads, ["new-1", "old-album"]);
    assert.deepEqual(queue.getSnapshot().items.map((i) => [i.phase, i.albumId]), [[phase, "old-album"]]);
    assert.deepEqual(calls.started, sent > 0 ? ["old-album"] : [], "shown that album only when parts go to it");
  }
});

test("a zip dropped on an album that another album already holds is not sent anywhere: that album is offered", async () => {
  const { deps, calls } = fakeDeps(async () => {
    throw new UploadError("already_imported", { album: "old-album" });
  });
  const queue = new UploadQueue(deps);
  queue.add([file("trip.zip")], "album-1");
  await ready(queue);
  await queue.start("album-1");
  assert.deepEqual(calls.uploads, ["album-1"]);
  assert.deepEqual(calls.deleted, [], "the album it was dropped on is kept");
  assert.deepEqual(queue.getSnapshot().items.map((i) => [i.phase, i.albumId]), [["duplicate", "old-album"]]);
});

test("dropping the same zip again while it is being sent does not start it twice", async () => {
  let release = () => {};
  const { deps, calls } = fakeDeps(async (run) => {
    run.onPlan();
    await new Promise<void>((resolve) => (release = resolve));
    return { sent: 1, rate: 0 };
  });
  const queue = new UploadQueue(deps);
  queue.add([file("trip.zip")], "album-1");
  await ready(queue);
  const running = queue.start("album-1");
  while (calls.uploads.length === 0) await new Promise((resolve) => setImmediate(resolve));
  queue.add([file("trip.zip")], "album-1");
  assert.equal(queue.getSnapshot().items.length, 1);
  assert.equal(queue.sendingTo("album-1")?.file.name, "trip.zip");
  queue.leaveAll();
  assert.deepEqual(calls.leaves, ["album-1"], "leaving the page tells the album being sent into");
  release();
  await running;
  assert.deepEqual(calls.created, [], "a drop on an album goes into that album");
});

test("Cancel stops the archive being sent and everything waiting behind it", async () => {
  const { deps } = fakeDeps(async (run) => {
    if (!run.signal.aborted) await new Promise((resolve) => run.signal.addEventListener("abort", resolve));
    throw new UploadCancelled();
  });
  const queue = new UploadQueue(deps);
  queue.add([file("one.zip"), file("two.zip")]);
  await ready(queue);
  const running = queue.start();
  while (!queue.getSnapshot().items.some((i) => i.phase === "starting")) await new Promise((resolve) => setImmediate(resolve));
  queue.cancel();
  await running;
  assert.deepEqual(queue.getSnapshot().items.map((i) => i.phase), ["cancelled", "cancelled"]);
  assert.equal(queue.getSnapshot().running, false);
});
