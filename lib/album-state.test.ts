import { test } from "node:test";
import assert from "node:assert/strict";
import { AlbumState, entryFromRow, type EntryView } from "./album-state.ts";
import type { AlbumRow } from "./database.types.ts";
import type { ProgressPayload } from "./progress.ts";

const row = (patch: Partial<AlbumRow> = {}): AlbumRow => ({
  id: "a", owner_id: "u", name: "Album", status: "extracting", source_name: "a.zip", source_bytes: 10,
  source_fingerprint: null, entries_total: 3, uploaded: 0, skipped: 0, failed: 0, bytes_done: 0, bytes_total: 300,
  error: null, cover_path: null, created_at: "", updated_at: "", deleting_at: null, ...patch,
});
const entry = (idx: number, status: EntryView["status"], reason: string | null = null): EntryView =>
  ({ idx, name: `p${idx}.jpg`, path: status === "uploaded" ? `u/a/p${idx}.jpg` : null, size: 100, status, reason });
/** A `progress` message as the function sends it (absent, not null, optional fields). */
const progress = (entries: EntryView[], uploaded: number): ProgressPayload => ({
  total: 3, uploaded, skipped: 0, failed: 0, bytesDone: uploaded * 100, bytesTotal: 300, status: "extracting",
  entries: entries.map((e) => ({ idx: e.idx, name: e.name, size: e.size, status: e.status, path: e.path ?? undefined, reason: e.reason ?? undefined })),
});

test("rows fill the state in archive order", () => {
  const state = new AlbumState(row());
  state.beginRead();
  state.applyRows(row(), [entry(2, "pending"), entry(0, "pending"), entry(1, "pending")]);
  assert.deepEqual(state.list().map((e) => e.idx), [0, 1, 2]);
});

test("an event merges by idx and a duplicate event is harmless", () => {
  const state = new AlbumState(row());
  state.applyRows(row(), [entry(0, "pending"), entry(1, "pending")]);
  state.applyProgress(progress([entry(1, "uploaded")], 1));
  state.applyProgress(progress([entry(1, "uploaded")], 1));
  assert.deepEqual(state.list().map((e) => e.status), ["pending", "uploaded"]);
  assert.equal(state.summary.uploaded, 1);
  assert.equal(state.summary.bytesDone, 100);
});

test("a database read that finishes after newer events does not roll them back", () => {
  const state = new AlbumState(row());
  state.beginRead();
  state.applyProgress(progress([entry(0, "uploaded")], 1)); // arrives while the read is in flight
  state.applyRows(row({ uploaded: 0 }), [entry(0, "pending"), entry(1, "pending")]); // stale snapshot
  assert.equal(state.list()[0].status, "uploaded");
  assert.equal(state.list()[1].status, "pending");
  assert.equal(state.summary.uploaded, 1);
});

test("a status event carries the reason an album stopped", () => {
  const state = new AlbumState(row());
  state.applyStatus({ status: "interrupted", error: "The worker ran out of time." });
  assert.equal(state.summary.status, "interrupted");
  assert.equal(state.summary.error, "The worker ran out of time.");
  state.beginRead();
  state.applyRows(row({ status: "interrupted", error: "The worker ran out of time.", uploaded: 2 }), []);
  assert.equal(state.summary.uploaded, 2);
});

test("a status event during a read keeps the read's counters", () => {
  const state = new AlbumState(row());
  state.beginRead();
  state.applyStatus({ status: "ready", error: null }); // arrives while the read is in flight
  state.applyRows(row({ status: "ready", uploaded: 3, bytes_done: 300 }), [entry(0, "uploaded"), entry(1, "uploaded"), entry(2, "uploaded")]);
  assert.equal(state.summary.status, "ready");
  assert.equal(state.summary.uploaded, 3);
  assert.equal(state.summary.bytesDone, 300);
});

test("an event places a photo by its date; a later read fills in the rest of its metadata", () => {
  const state = new AlbumState(row());
  state.applyRows(row(), [entry(0, "pending")]);
  const event = progress([entry(0, "uploaded")], 1);
  event.entries = event.entries.map((e) => ({ ...e, takenAt: "2024-07-13T10:00:00.000Z" }));
  state.applyProgress(event);
  assert.equal(state.list()[0].takenAt, "2024-07-13T10:00:00.000Z");
  assert.equal(state.list()[0].width, undefined);
  state.beginRead();
  state.applyRows(row(), [{ ...entry(0, "uploaded"), takenAt: "2024-07-13T10:00:00+00:00", width: 640, height: 480, orientation: 6, cameraMake: "Fujifilm", cameraModel: "X100V" }]);
  assert.equal(state.list()[0].width, 640);
  assert.equal(state.list()[0].cameraModel, "X100V");
  // An event without a date (a skipped entry, say) keeps what the row said.
  state.applyProgress(progress([entry(0, "uploaded")], 1));
  assert.equal(state.list()[0].takenAt, "2024-07-13T10:00:00+00:00");
  assert.equal(state.list()[0].orientation, 6);
});

test("a row's photo metadata reaches the view, and a later event keeps it", () => {
  const view = entryFromRow({
    idx: 0, name: "Day 1/IMG_0001.jpg", path: "u/a/Day 1/IMG_0001.jpg", size: 100, status: "uploaded", reason: null,
    taken_at: "2024-07-12T14:03:59+00:00", taken_at_source: "exif", width: 4000, height: 3000, orientation: 6,
    camera_make: "Canon", camera_model: "Canon EOS R5",
  });
  assert.deepEqual(
    { takenAt: view.takenAt, takenAtSource: view.takenAtSource, width: view.width, height: view.height, orientation: view.orientation, cameraMake: view.cameraMake, cameraModel: view.cameraModel },
    { takenAt: "2024-07-12T14:03:59+00:00", takenAtSource: "exif", width: 4000, height: 3000, orientation: 6, cameraMake: "Canon", cameraModel: "Canon EOS R5" },
  );
  const state = new AlbumState(row());
  state.applyRows(row(), [view]);
  state.applyProgress(progress([{ ...entry(0, "uploaded"), name: view.name }], 1));
  assert.equal(state.list()[0].cameraModel, "Canon EOS R5");
});

test("a full read drops entries whose rows were deleted; a catch-up read and entries touched meanwhile keep theirs", () => {
  const state = new AlbumState(row());
  state.applyRows(row(), [entry(0, "uploaded"), entry(1, "uploaded"), entry(2, "uploaded")]);
  state.beginRead();
  state.applyRows(row({ uploaded: 2, entries_total: 2 }), [entry(0, "uploaded"), entry(2, "uploaded")]);
  assert.deepEqual(state.list().map((e) => e.idx), [0, 1, 2], "a catch-up read only adds");
  state.beginRead();
  state.applyRows(row({ uploaded: 2, entries_total: 2 }), [entry(0, "uploaded"), entry(2, "uploaded")], true);
  assert.deepEqual(state.list().map((e) => e.idx), [0, 2]);
  assert.equal(state.summary.uploaded, 2);
  state.beginRead();
  state.applyProgress(progress([entry(1, "uploaded")], 3)); // lands while the read is in flight
  state.applyRows(row(), [entry(0, "uploaded")], true);
  assert.deepEqual(state.list().map((e) => e.idx), [0, 1]);
});

test("a photo landing while a read is in flight keeps its event's state and gets the row's metadata", () => {
  const state = new AlbumState(row());
  state.applyRows(row(), [entry(0, "pending")]);
  state.beginRead();
  state.applyProgress({ ...progress([entry(0, "uploaded")], 1), entries: [{ idx: 0, name: "p0.jpg", size: 100, status: "uploaded", path: "u/a/p0.jpg", takenAt: "2024-07-12T09:15:00Z" }] });
  // The read began before the event and returns the row as the job wrote it, metadata and all; a
  // catch-up read after the album is done asks only for rows written later, so this is the only chance.
  state.applyRows(row(), [{ ...entry(0, "uploaded"), takenAt: "2024-07-12T09:15:00+00:00", takenAtSource: "exif", cameraModel: "Canon EOS R5", width: 640, height: 480, orientation: 6 }]);
  const [photo] = state.list();
  assert.equal(photo.status, "uploaded");
  assert.equal(photo.takenAt, "2024-07-12T09:15:00Z", "what the event carried stands");
  assert.equal(photo.takenAtSource, "exif");
  assert.equal(photo.cameraModel, "Canon EOS R5");
  assert.equal(photo.orientation, 6);
});
