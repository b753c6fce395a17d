import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { EXTRACTION_STALE_AFTER_MS, isStalled, msUntilStalled, shownSummary, STALLED_REASON } from "./stalled-extraction.ts";
import { AlbumState, type AlbumSummary } from "./album-state.ts";
import type { AlbumRow } from "./database.types.ts";

const MINUTE = 60_000;
const T0 = Date.parse("2026-11-27T12:00:00Z");

const row = (patch: Partial<AlbumRow> = {}): AlbumRow => ({
  id: "a", owner_id: "u", name: "Album", status: "extracting", source_name: "a.zip", source_bytes: 10,
  source_fingerprint: "10:abc", entries_total: 3, uploaded: 1, skipped: 0, failed: 0, bytes_done: 100, bytes_total: 300,
  error: null, cover_path: null, created_at: "2026-11-27T11:59:00Z", updated_at: new Date(T0).toISOString(), deleting_at: null, ...patch,
});

test("the app waits exactly as long as the database before calling a job dead", () => {
  // The newest migration that (re)defines extraction_stale_after() is the one in force.
  const dir = new URL("../supabase/migrations/", import.meta.url);
  const definitions = readdirSync(dir).sort().flatMap((file) => {
    const match = /extraction_stale_after\(\)[^$]*\$\$\s*select interval '(\d+) seconds'/.exec(readFileSync(new URL(file, dir), "utf8"));
    return match ? [Number(match[1])] : [];
  });
  assert.ok(definitions.length > 0, "a migration defines extraction_stale_after() in seconds");
  assert.equal(definitions.at(-1)! * 1000, EXTRACTION_STALE_AFTER_MS);
  assert.match(STALLED_REASON, /over a minute/);
});

test("only an extracting album with a known last sign of life can stall, and only after the whole wait", () => {
  assert.equal(msUntilStalled("extracting", T0, T0 + MINUTE), EXTRACTION_STALE_AFTER_MS - MINUTE);
  assert.equal(isStalled("extracting", T0, T0 + EXTRACTION_STALE_AFTER_MS - 1), false);
  assert.equal(isStalled("extracting", T0, T0 + EXTRACTION_STALE_AFTER_MS), true);
  assert.equal(msUntilStalled("extracting", T0, T0 + 60 * MINUTE), 0);
  for (const status of ["uploading", "interrupted", "ready", "partial", "failed", "cancelled"] as const) {
    assert.equal(msUntilStalled(status, T0, T0 + 60 * MINUTE), null, status);
  }
  assert.equal(msUntilStalled("extracting", Number.NaN, T0), null, "an unknown time never counts as stalled");
});

test("a stalled album is shown as interrupted with the reason; anything else is shown as it is", () => {
  const summary: AlbumSummary = { status: "extracting", total: 3, uploaded: 1, skipped: 0, failed: 0, bytesDone: 100, bytesTotal: 300, error: null };
  assert.deepEqual(shownSummary(summary, true), { ...summary, status: "interrupted", error: STALLED_REASON });
  assert.equal(shownSummary(summary, false), summary);
  const ready = { ...summary, status: "ready" as const };
  assert.equal(shownSummary(ready, true), ready, "a verdict reached before the album finished is ignored");
});

test("the album's last sign of life is its latest write or the latest event", () => {
  const state = new AlbumState(row());
  assert.equal(state.lastActivity, T0);
  state.beginRead();
  state.applyRows(row({ updated_at: new Date(T0 + MINUTE).toISOString() }), []);
  assert.equal(state.lastActivity, T0 + MINUTE, "a later write moves it on");
  state.applyRows(row({ updated_at: new Date(T0 - MINUTE).toISOString() }), []);
  assert.equal(state.lastActivity, T0 + MINUTE, "an older read never moves it back");
  state.applyProgress({ total: 3, uploaded: 2, skipped: 0, failed: 0, bytesDone: 200, bytesTotal: 300, status: "extracting", entries: [] }, T0 + 5 * MINUTE);
  assert.equal(state.lastActivity, T0 + 5 * MINUTE);
  state.applyStatus({ status: "extracting", error: null }, T0 + 20 * MINUTE);
  assert.equal(state.lastActivity, T0 + 20 * MINUTE, "a resumed job's first broadcast counts");
  assert.equal(isStalled(state.summary.status, state.lastActivity, T0 + 20 * MINUTE + EXTRACTION_STALE_AFTER_MS / 2), false);
});

test("a row without a known time does not make the album stall", () => {
  const state = new AlbumState(row({ updated_at: "" }));
  assert.ok(Number.isNaN(state.lastActivity));
  assert.equal(isStalled("extracting", state.lastActivity, T0 + 60 * MINUTE), false);
  state.applyRows(row(), []);
  assert.equal(state.lastActivity, T0);
});
