import { test } from "node:test";
import assert from "node:assert/strict";
import { UploadCancelled, UploadError } from "./upload-error.ts";
import { UploadQueue, type QueueDeps, type UploadRun } from "./upload-queue.ts";
import type { ArchivePlan } from "./upload-sequence.ts";
import type { ImportedArchive } from "./imported-archive.ts";
import type { PreflightReport } from "./zip-preflight.ts";

const file = (name: string, size = 100) => new File([new Uint8Array(size)], name, { lastModified: 1 });
const report = { blocked: false } as PreflightReport;

/** Deps that record what the queue asked for; `upload` decides each run's fate. */
function fakeDeps(upload: (run: UploadRun, call: number) => Promise<{ sent: number; rate: number }>, imported: Record<string, ImportedArchive> = {}) {
  const calls = { created: [] as string[], deleted: [] as string[], uploads: [] as string[], started: [] as string[], watched: 0, left: 0, leaves: [] as string[], recognised: [] as string[] };
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
    leave: (id, why) => void calls.leaves.push(why === "closed" ? id : `${id} (${why})`),
    recognise: async (f) => {
      calls.recognised.push(f.name);
      if (f.name === "unreadable.zip") throw new Error("the lookup failed");
      return imported[f.name] ?? null;
    },
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
  // Dropped on the home page meanwhile, it is shown as on its way into that album, not started.
  queue.add([file("trip.zip")]);
  assert.deepEqual(queue.getSnapshot().items.map((i) => [i.target, i.phase, i.alreadySending, i.albumId]), [
    ["album-1", "uploading", undefined, "album-1"], [undefined, "duplicate", true, "album-1"],
  ]);
  queue.leaveAll();
  assert.deepEqual(calls.leaves, ["album-1"], "leaving the page tells the album being sent into");
  release();
  await running;
  assert.deepEqual(calls.created, [], "a drop on an album goes into that album");
});

const tick = () => new Promise((resolve) => setImmediate(resolve));

test("Cancel of one archive aborts its requests, leaves its album resumable, and lets the next archive go", async () => {
  const signals: AbortSignal[] = [];
  const { deps, calls } = fakeDeps(async (run, call) => {
    run.onPlan();
    if (call > 1) return { sent: 1, rate: 0 };
    signals.push(run.signal);
    if (!run.signal.aborted) await new Promise((resolve) => run.signal.addEventListener("abort", resolve));
    throw new UploadCancelled();
  });
  const queue = new UploadQueue(deps);
  queue.add([file("one.zip"), file("two.zip")]);
  await ready(queue);
  const running = queue.start();
  while (!queue.getSnapshot().items.some((i) => i.phase === "uploading")) await tick();
  queue.cancel(queue.getSnapshot().items[0].key);
  await running;
  assert.equal(signals[0].aborted, true, "every request of the cancelled archive shares the aborted signal");
  assert.deepEqual(queue.getSnapshot().items.map((i) => [i.phase, i.albumId]), [["cancelled", "new-1"], ["accepted", "new-2"]]);
  assert.deepEqual(calls.leaves, ["new-1 (cancelled)"], "the album part-sent reads interrupted at once, not failed");
  assert.deepEqual(calls.deleted, [], "what it received is kept");
  assert.equal(queue.getSnapshot().running, false);
});

test("Cancel of several stops the one being sent and those waiting; a cancelled drop with no plan leaves no album", async () => {
  const { deps, calls } = fakeDeps(async (run) => {
    if (!run.signal.aborted) await new Promise((resolve) => run.signal.addEventListener("abort", resolve));
    throw new UploadCancelled();
  });
  const queue = new UploadQueue(deps);
  queue.add([file("one.zip"), file("two.zip")]);
  queue.add([file("other.zip")], "album-9");
  await ready(queue);
  const running = queue.start();
  while (!queue.getSnapshot().items.some((i) => i.phase === "starting")) await tick();
  const home = queue.getSnapshot().items.filter((i) => !i.target);
  queue.cancel(...home.map((i) => i.key));
  await running;
  assert.deepEqual(queue.getSnapshot().items.map((i) => [i.file.name, i.phase]), [["one.zip", "cancelled"], ["two.zip", "cancelled"], ["other.zip", "ready"]]);
  assert.deepEqual(calls.uploads, ["new-1"], "the waiting one was never sent");
  assert.deepEqual(calls.deleted, ["new-1"]);
  assert.deepEqual(calls.leaves, []);
});

test("a home-page drop of a zip already whole in an album is offered that album and never sent", async () => {
  const { deps, calls } = fakeDeps(async () => ({ sent: 1, rate: 0 }), { "trip.zip": { albumId: "old-album", albumName: "Trip", complete: true, sending: false } });
  const queue = new UploadQueue(deps);
  queue.add([file("trip.zip")]);
  await ready(queue);
  assert.deepEqual(queue.getSnapshot().items.map((i) => [i.phase, i.albumId, i.imported?.albumName]), [["duplicate", "old-album", "Trip"]]);
  await queue.start();
  assert.deepEqual([calls.created, calls.uploads], [[], []], "no album made, no request sent");
});

test("a home-page drop of a zip with parts missing continues its album and makes none", async () => {
  const { deps, calls } = fakeDeps(async (run) => {
    run.onPlan({ segments: [{ index: 0, start: 0, end: 1, entries: 1, status: "pending" }] } as ArchivePlan);
    return { sent: 1, rate: 0 };
  }, { "trip.zip": { albumId: "old-album", albumName: "Trip", complete: false, sending: false } });
  const queue = new UploadQueue(deps);
  queue.add([file("trip.zip")]);
  await ready(queue);
  assert.deepEqual(queue.getSnapshot().items.map((i) => [i.phase, i.imported?.albumId]), [["ready", "old-album"]]);
  await queue.start();
  assert.deepEqual([calls.created, calls.uploads, calls.started, calls.deleted], [[], ["old-album"], ["old-album"], []]);
  assert.deepEqual(queue.getSnapshot().items.map((i) => [i.phase, i.albumId]), [["accepted", "old-album"]]);
});

test("a zip recognised while this tab is still sending it is shown as on its way, not sent twice", async () => {
  let release = () => {};
  const { deps, calls } = fakeDeps(async (run) => {
    run.onPlan();
    await new Promise<void>((resolve) => (release = resolve));
    return { sent: 1, rate: 0 };
  }, { "copy of trip.zip": { albumId: "new-1", albumName: "Trip", complete: false, sending: false } });
  const queue = new UploadQueue(deps);
  queue.add([file("trip.zip")]);
  await ready(queue);
  const running = queue.start();
  while (calls.uploads.length === 0) await tick();
  queue.add([file("copy of trip.zip")]);
  await ready(queue);
  const copy = queue.getSnapshot().items.find((i) => i.file.name === "copy of trip.zip");
  assert.deepEqual([copy?.phase, copy?.alreadySending, copy?.albumId], ["duplicate", true, "new-1"]);
  release();
  await running;
  assert.deepEqual(calls.uploads, ["new-1"]);
});

test("a zip another tab or device is sending right now is shown as on its way, not sent from here too", async () => {
  const { deps, calls } = fakeDeps(async () => ({ sent: 1, rate: 0 }), { "trip.zip": { albumId: "old-album", albumName: "Trip", complete: false, sending: true } });
  const queue = new UploadQueue(deps);
  queue.add([file("trip.zip")]);
  await ready(queue);
  assert.deepEqual(queue.getSnapshot().items.map((i) => [i.phase, i.alreadySending, i.albumId]), [["duplicate", true, "old-album"]]);
  await queue.start();
  assert.deepEqual([calls.created, calls.uploads], [[], []]);
});

test("a failed lookup leaves the drop to the function, which still refuses a duplicate from its directory", async () => {
  const { deps, calls } = fakeDeps(async () => ({ sent: 1, rate: 0 }));
  const queue = new UploadQueue(deps);
  queue.add([file("unreadable.zip")]);
  queue.add([file("album.zip")], "album-1");
  await ready(queue);
  assert.deepEqual(calls.recognised, ["unreadable.zip"], "a drop on an album is not looked up: the album decides");
  assert.deepEqual(queue.getSnapshot().items.map((i) => i.phase), ["ready", "ready"]);
});
