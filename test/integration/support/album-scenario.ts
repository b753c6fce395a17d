// The common shape of an album-upload test: a fresh owner uploads one archive to a new album, the test
// looks at the HTTP answer, then everything the job left behind is checked the same way.
import assert from "node:assert/strict";
import type { SupabaseClient } from "@supabase/supabase-js";
import type { TestPlatform } from "../../../local-supabase/test/support/platform.ts";
import { type Answer, type AlbumRow, AlbumFeed, createAlbum, postArchive, readAlbum, type User, waitForEnd } from "./album-run.ts";
import { checkBroadcasts, checkEntries, checkInvariant, checkStoredBytes, type EntryRow, type Expected, readEntries } from "./album-checks.ts";

export interface Outcome {
  user: User;
  answer: Answer;
  album: AlbumRow;
  rows: EntryRow[];
  feed: AlbumFeed;
}

/** Creates an album for a new user, joins its channel, POSTs `archive`, and waits for the job to end. */
export async function uploadToNewAlbum(platform: TestPlatform, archive: Buffer, user?: User): Promise<Outcome> {
  user ??= await platform.newUser();
  const created = await createAlbum(user);
  const feed = await AlbumFeed.join(user, created.id);
  const answer = await postArchive(platform.url, user.accessToken, created.id, archive);
  const album = answer.status === 202 ? await waitForEnd(user.client, created.id) : await readAlbum(user.client, created.id);
  const rows = await readEntries(user.client, created.id);
  return { user, answer, album, rows, feed };
}

/** The 202 body the function owes for these expected rows (plus `folders` folder entries). */
export function acceptedBody(album: string, expected: Expected[], folders = 0) {
  const atOnce = (status: string) => expected.filter((e) => "atOnce" in e && e.status === status).length;
  return {
    album,
    entries: expected.length,
    photos: expected.filter((e) => !("atOnce" in e)).length,
    skipped: atOnce("skipped"),
    failed: atOnce("failed"),
    folders,
  };
}

/**
 * Rows as expected, the invariant, the stored bytes and the broadcasts. `pendingAtStart` are the rows
 * the 202 announced as photos (to be extracted): every such row must have been reported live.
 */
export async function checkOutcome(service: SupabaseClient, outcome: Outcome, expected: Expected[], pendingAtStart?: number[]): Promise<void> {
  const { album, rows, user, feed } = outcome;
  try {
    checkEntries(album, rows, expected);
    await checkInvariant(service, album, rows);
    await checkStoredBytes(user.client, rows, expected);
    const extracted = pendingAtStart ?? rows.filter((_, i) => !("atOnce" in expected[i])).map((r) => r.idx);
    await checkBroadcasts(feed, album, rows, extracted);
  } finally {
    await feed.leave();
  }
}

export function assertStatus(album: AlbumRow, status: AlbumRow["status"], error: string | null | RegExp): void {
  assert.equal(album.status, status, `album status (error: ${album.error})`);
  if (error instanceof RegExp) assert.match(album.error ?? "", error);
  else assert.equal(album.error, error);
}

/**
 * Drops `archive` on an album that stopped part-way and checks the resume: 202 with the counts, the album
 * ready, every row as expected, and only the entries `pending` reported live (each photo stored once).
 */
export async function expectResumed(
  platform: TestPlatform & { admin: SupabaseClient }, user: User, albumId: string, archive: Buffer, expected: Expected[], pending: number[],
): Promise<AlbumRow> {
  const feed = await AlbumFeed.join(user, albumId);
  const answer = await postArchive(platform.url, user.accessToken, albumId, archive);
  assert.equal(answer.status, 202, JSON.stringify(answer.body));
  assert.deepEqual(answer.body, acceptedBody(albumId, expected));
  const resumed = await waitForEnd(user.client, albumId);
  assertStatus(resumed, "ready", null);
  const rows = await readEntries(user.client, albumId);
  await checkOutcome(platform.admin, { user, answer, album: resumed, rows, feed }, expected, pending);
  return resumed;
}

/** One accepted archive as a table row: what it holds, the rows it must leave, and how the album ends. */
export interface ArchiveCase {
  /** The test's name: what the archive is and what must happen to it. */
  title: string;
  archive: Buffer;
  expected: Expected[];
  /** Folder entries in the archive (they get no row, but the 202 counts them). */
  folders?: number;
  /** How the album ends: `ready` with no error unless given. */
  album?: { status: AlbumRow["status"]; error: string | RegExp | null };
  /** Further checks on what this archive left behind, after the common ones. */
  also?: (outcome: Outcome) => Promise<void> | void;
}

/**
 * Uploads the row's archive to a new album and checks everything the same way: 202 with the counts,
 * the album's end state and its size, then rows, invariant, stored bytes and broadcasts.
 */
export async function expectAccepted(platform: TestPlatform & { admin: SupabaseClient }, row: ArchiveCase): Promise<void> {
  const outcome = await uploadToNewAlbum(platform, row.archive);
  assert.equal(outcome.answer.status, 202, JSON.stringify(outcome.answer.body));
  assert.deepEqual(outcome.answer.body, acceptedBody(outcome.album.id, row.expected, row.folders));
  assertStatus(outcome.album, row.album?.status ?? "ready", row.album ? row.album.error : null);
  assert.equal(Number(outcome.album.source_bytes), row.archive.length);
  await checkOutcome(platform.admin, outcome, row.expected);
  await row.also?.(outcome);
}
