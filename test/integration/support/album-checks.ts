// What every album-upload test asserts once a job has ended: the entry rows against what the test
// expects, the invariant that nothing is lost silently (docs/architecture.md#nothing-is-lost-silently), the stored bytes, and the broadcasts
// the owner's subscription received (docs/architecture.md#progress-protocol).
import assert from "node:assert/strict";
import type { SupabaseClient } from "@supabase/supabase-js";
import type { AlbumRow, AlbumFeed } from "./album-run.ts";
import type { EntryUpdate } from "../../../supabase/functions/_shared/progress.ts";
import { objectPagesUnder } from "../../../lib/storage-walk.ts";

export interface EntryRow {
  idx: number;
  name: string;
  path: string | null;
  size: number;
  content_type: string | null;
  status: "pending" | "uploaded" | "skipped" | "failed";
  reason: string | null;
  reason_code: string | null;
  /** When the photo was taken (docs/architecture.md#photo-metadata); its progress event says the same. */
  taken_at: string | null;
}

/** One expected file entry (folders have no row). `key` is relative to `<owner>/<album>/`. */
export type Expected =
  | { name: string; status: "uploaded"; key: string; bytes: Buffer; type: string }
  | { name: string; status: "skipped" | "failed"; code: string; reason: string | RegExp; atOnce?: true };
// `atOnce`: decided from the central directory while answering the request (entry-plan.ts), so never
// extracted and never part of a progress broadcast.

/** The album's rows in archive order, page by page (PostgREST answers at most `max_rows` = 1000 at once). */
export async function readEntries(client: SupabaseClient, albumId: string): Promise<EntryRow[]> {
  const rows: EntryRow[] = [];
  for (;;) {
    const { data, error } = await client.from("album_entries").select().eq("album_id", albumId).order("idx")
      .range(rows.length, rows.length + 999);
    if (error) throw new Error(`entries read failed: ${error.message}`);
    rows.push(...(data as EntryRow[]));
    if (data.length < 1000) return rows;
  }
}

const keyOf = (album: AlbumRow, key: string) => `${album.owner_id}/${album.id}/${key}`;

/** Rows in archive order, each as expected: name kept, key sanitised, outcome and reason. */
export function checkEntries(album: AlbumRow, rows: EntryRow[], expected: Expected[]): void {
  assert.deepEqual(rows.map((r) => r.name), expected.map((e) => e.name), "one row per file entry, names kept");
  rows.forEach((row, i) => {
    const want = expected[i];
    const where = `entry ${row.idx} (${row.name})`;
    assert.equal(row.status, want.status, `${where}: status (reason: ${row.reason})`);
    if (want.status === "uploaded") {
      assert.equal(row.path, keyOf(album, want.key), `${where}: object key`);
      assert.equal(row.size, want.bytes.length, `${where}: size`);
      assert.equal(row.content_type, want.type, `${where}: content type`);
      assert.equal(row.reason, null, `${where}: no reason`);
    } else {
      assert.equal(row.path, null, `${where}: nothing stored`);
      assert.equal(row.reason_code, want.code, `${where}: reason code`);
      if (typeof want.reason === "string") assert.equal(row.reason, want.reason, `${where}: reason`);
      else assert.match(row.reason ?? "", want.reason, `${where}: reason`);
    }
  });
}

/** Every object under `prefix`, by full key, with its size (storage-walk.ts: a flat list-v2 walk). */
async function listAll(service: SupabaseClient, prefix: string): Promise<{ name: string; size: number }[]> {
  const found: { name: string; size: number }[] = [];
  for await (const page of objectPagesUnder(service.storage.from("photos"), prefix)) {
    for (const item of page) found.push({ name: item.key, size: Number(item.metadata?.size) });
  }
  return found;
}

/**
 * docs/architecture.md#nothing-is-lost-silently: entries_total = uploaded + skipped + failed + pending, every skipped or failed entry
 * says why, every uploaded entry's object exists with exactly the entry's size — and nothing else was
 * stored under the album's folder (checked as the service role, past RLS). An `interrupted` album may
 * also hold the objects of pending entries whose upload finished as the worker ended.
 */
export async function checkInvariant(service: SupabaseClient, album: AlbumRow, rows: EntryRow[]): Promise<void> {
  const count = (status: EntryRow["status"]) => rows.filter((r) => r.status === status).length;
  assert.equal(album.entries_total, rows.length, "entries_total counts every row");
  assert.equal(album.uploaded, count("uploaded"));
  assert.equal(album.skipped, count("skipped"));
  assert.equal(album.failed, count("failed"));
  assert.equal(album.entries_total, album.uploaded + album.skipped + album.failed + count("pending"));
  assert.equal(Number(album.bytes_total), rows.reduce((sum, r) => sum + Number(r.size), 0));
  for (const row of rows) {
    if (row.status === "skipped" || row.status === "failed") {
      assert.ok(row.reason && row.reason.trim().length > 3, `entry ${row.idx} (${row.name}) says why it was ${row.status}`);
    }
  }
  const uploaded = rows.filter((r) => r.status === "uploaded");
  const objects = new Map((await listAll(service, `${album.owner_id}/${album.id}`)).map((o) => [o.name, o.size]));
  for (const row of uploaded) {
    assert.ok(row.path && objects.has(row.path), `object of entry ${row.idx} exists (${row.path})`);
    assert.equal(objects.get(row.path), Number(row.size), `object of entry ${row.idx} has the entry's size`);
  }
  const stored = [...objects.keys()];
  if (album.status !== "interrupted") {
    assert.deepEqual(stored.sort(), uploaded.map((r) => r.path).sort(), "exactly the uploaded entries are stored under the album's folder");
    return;
  }
  // A worker ended mid-upload may leave an object whose row is still pending; the resume overwrites it.
  const known = new Set(rows.filter((r) => r.status === "uploaded" || r.status === "pending").map((r) => r.path));
  for (const name of stored) assert.ok(known.has(name), `${name} belongs to an uploaded or pending entry`);
}

/** Downloads every uploaded entry as its owner and compares it byte for byte with the source. */
export async function checkStoredBytes(owner: SupabaseClient, rows: EntryRow[], expected: Expected[]): Promise<void> {
  const todo = rows.flatMap((row, i) => (expected[i].status === "uploaded" ? [{ row, want: expected[i] as { bytes: Buffer } }] : []));
  const check = async ({ row, want }: (typeof todo)[number]) => {
    const { data, error } = await owner.storage.from("photos").download(row.path!);
    assert.equal(error, null, `owner downloads ${row.path}`);
    const bytes = Buffer.from(await data!.arrayBuffer());
    assert.ok(bytes.equals(want.bytes), `stored bytes of ${row.name} equal the source (${bytes.length} vs ${want.bytes.length})`);
  };
  // A few downloads at a time: an album of a thousand photos is checked in seconds.
  for (let i = 0; i < todo.length; i += 4) await Promise.all(todo.slice(i, i + 4).map(check));
}

/**
 * The live feed agrees with the database: the first result went out alone and at once, the merged
 * entry updates are exactly the extracted rows as stored, the last counters equal the album row, and
 * the status broadcasts are `extracting` then the final status with its error.
 * `extracted` lists the entries that were still to do when this run started.
 */
export async function checkBroadcasts(feed: AlbumFeed, album: AlbumRow, rows: EntryRow[], extracted: number[]): Promise<void> {
  await feed.waitForStatus(album.status);
  const progress = feed.progress;
  assert.deepEqual(feed.statuses, [{ status: "extracting", error: null }, { status: album.status, error: album.error }]);
  const lastProgress = feed.received.findLastIndex((b) => b.event === "progress");
  assert.ok(lastProgress < feed.received.findIndex((b) => b.event === "status" && b.payload.status === album.status),
    "the final status follows the last progress message");
  if (extracted.length === 0) {
    assert.equal(progress.length, 0, "nothing extracted, nothing to report");
    return;
  }
  const first = progress[0];
  assert.equal(first.entries.length, 1, "the first result is broadcast on its own, at once");
  assert.equal(first.uploaded + first.skipped + first.failed, rows.length - extracted.length + 1,
    "the first progress message counts the entries decided before it plus that one");
  for (const p of progress) assert.equal(p.status, "extracting");
  const last = progress.at(-1)!;
  assert.deepEqual(
    { total: last.total, uploaded: last.uploaded, skipped: last.skipped, failed: last.failed, bytesDone: last.bytesDone, bytesTotal: last.bytesTotal },
    { total: album.entries_total, uploaded: album.uploaded, skipped: album.skipped, failed: album.failed, bytesDone: Number(album.bytes_done), bytesTotal: Number(album.bytes_total) },
    "the last progress counters equal the album row",
  );
  const merged = new Map<number, EntryUpdate>();
  for (const p of progress) for (const e of p.entries) merged.set(e.idx, e);
  assert.deepEqual([...merged.keys()].sort((a, b) => a - b), extracted, "every extracted entry was reported, and only those");
  for (const row of rows.filter((r) => extracted.includes(r.idx))) {
    const update: EntryUpdate = { idx: row.idx, name: row.name, size: Number(row.size), status: row.status as EntryUpdate["status"] };
    if (row.status === "uploaded") update.path = row.path!;
    if (row.reason) update.reason = row.reason;
    if (row.status === "uploaded" && row.taken_at) update.takenAt = new Date(row.taken_at).toISOString();
    assert.deepEqual(merged.get(row.idx), update, `broadcast of entry ${row.idx} matches its row`);
  }
}
