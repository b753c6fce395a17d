// The segmented protocol's rules through the local platform (hosted Free limits, a test-sized /tmp):
// what a segment request may carry and what the function answers — a range it did not plan, the wrong
// length, another album's archive, a segment already done or held by a live worker, bytes that
// contradict the directory — and leases: a dead worker's segment is taken again once its lease ends.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { buildZip } from "./support/zip-builder.ts";
import { jpeg } from "./support/images.ts";
import { createAlbum, readAlbum, type User, waitForEnd } from "./support/album-run.ts";
import { checkInvariant, readEntries } from "./support/album-checks.ts";
import { withPlatform } from "./support/platform.ts";
import { ANON_KEY } from "../../local-supabase/test/support/platform.ts";
import { bufferSource, type ClientOptions, segmentsOf, sendDirectory, sendSegment, uploadSegmented } from "./support/segmented-upload.ts";
import type { DirectoryAnswer, PlannedSegment } from "../../supabase/functions/_shared/upload-protocol.ts";

const MiB = 1024 * 1024;
const TMP_BYTES = 6 * MiB;

describe("album-upload: segment requests and leases", () => {
  const platform = withPlatform({ tmpBytes: TMP_BYTES });

  const photos = Array.from({ length: 12 }, (_, i) => jpeg(300_000 + i * 500, i + 1));
  const names = photos.map((_, i) => `IMG_${i}.jpg`);
  const archive = buildZip(names.map((name, i) => ({ name, data: photos[i], method: "store" })));

  async function planned(user?: User): Promise<{ user: User; options: ClientOptions; plan: DirectoryAnswer }> {
    user ??= await platform.newUser();
    const album = await createAlbum(user);
    const options = { url: platform.url, accessToken: user.accessToken, albumId: album.id };
    const directory = await sendDirectory(options, bufferSource(archive));
    assert.equal(directory.status, 200, JSON.stringify(directory.body));
    assert.ok(directory.body.segments.length >= 3, `${directory.body.segments.length} segments`);
    return { user, options, plan: directory.body };
  }
  const bytesOf = (s: PlannedSegment) => archive.subarray(s.start, s.end);

  test("a range the plan does not have, the wrong length, or another album's archive is refused", async () => {
    const { user, options, plan } = await planned();
    const first = plan.segments[0];
    const unknown = await sendSegment(options, plan.archive, { ...first, index: 999 }, bytesOf(first));
    assert.deepEqual([unknown.status, unknown.body.code], [422, "segment_unknown"]);
    const noArchive = await sendSegment(options, crypto.randomUUID(), first, bytesOf(first));
    assert.deepEqual([noArchive.status, noArchive.body.code], [422, "segment_unknown"]);
    const short = await sendSegment(options, plan.archive, first, bytesOf(first).subarray(1));
    assert.deepEqual([short.status, short.body.code], [400, "segment_length_mismatch"]);
    assert.match(String(short.body.message), new RegExp(`bytes ${first.start} to ${first.end}`));
    // The same archive id through another album of the same owner.
    const other = await createAlbum(user, "Other");
    const mismatch = await sendSegment({ ...options, albumId: other.id }, plan.archive, first, bytesOf(first));
    assert.deepEqual([mismatch.status, mismatch.body.code], [409, "archive_mismatch"]);
    // None of that took the segment: it is still pending, and the right bytes are accepted.
    const { data } = await user.client.from("album_segments").select("idx, status, lease_expires_at").eq("archive_id", plan.archive).eq("idx", first.index).single();
    assert.deepEqual([data!.status, data!.lease_expires_at], ["pending", null]);
    const right = await sendSegment(options, plan.archive, first, bytesOf(first));
    assert.equal(right.status, 202, JSON.stringify(right.body));
  });

  test("a segment held by a live worker is busy, then done; each photo is stored once", async () => {
    const { user, options, plan } = await planned();
    const [a, b] = await Promise.all([0, 1].map(() => sendSegment(options, plan.archive, plan.segments[0], bytesOf(plan.segments[0]))));
    const codes = [a, b].map((r) => r.status === 202 ? "accepted" : String(r.body.code)).sort();
    assert.ok(codes[0] === "accepted" && ["segment_busy", "segment_done"].includes(codes[1]), JSON.stringify([a.body, b.body]));
    const busy = [a, b].find((r) => r.body.code === "segment_busy");
    if (busy) assert.ok(Number(busy.body.retryAfterSeconds) >= 1);
    const run = await uploadSegmented(options, bufferSource(archive), { readSegments: segmentsOf(user.client) });
    assert.equal(run.directory.body.resumed, true);
    const ended = await waitForEnd(user.client, options.albumId);
    assert.equal(ended.status, "ready", ended.error ?? "");
    const again = await sendSegment(options, plan.archive, plan.segments[0], bytesOf(plan.segments[0]));
    assert.deepEqual([again.status, again.body.code], [200, "segment_done"]);
    const rows = await readEntries(user.client, options.albumId);
    assert.equal(rows.filter((r) => r.status === "uploaded").length, photos.length);
    await checkInvariant(platform.admin, ended, rows);
  });

  test("a dead worker's segment is taken again as soon as its lease ends, not after minutes", async () => {
    const { user, options, plan } = await planned();
    const segment = plan.segments[1];
    // A worker claimed the segment and was killed without a word: its lease runs 2 more seconds.
    const { data: claim } = await platform.admin.rpc("claim_segment", {
      p_album: options.albumId, p_archive: plan.archive, p_segment: segment.index, p_token: "killed-worker", p_lease_seconds: 2,
    });
    assert.equal((claim as { result: string }).result, "claimed");
    const held = await sendSegment(options, plan.archive, segment, bytesOf(segment));
    assert.deepEqual([held.status, held.body.code], [409, "segment_busy"]);
    assert.ok(Number(held.body.retryAfterSeconds) <= 2);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const taken = await sendSegment(options, plan.archive, segment, bytesOf(segment));
    assert.equal(taken.status, 202, JSON.stringify(taken.body));
    await uploadSegmented(options, bufferSource(archive), { readSegments: segmentsOf(user.client) });
    const ended = await waitForEnd(user.client, options.albumId);
    assert.equal(ended.status, "ready");
    assert.equal(ended.uploaded, photos.length);
  });

  test("bytes that contradict the directory fail the entries they carry, with reasons, and nothing else", async () => {
    const { user, options, plan } = await planned();
    const segment = plan.segments[0];
    const rows = await readEntries(user.client, options.albumId);
    const bytes = Buffer.from(bytesOf(segment));
    // In this segment: the first entry's data is corrupted (its CRC no longer matches), and the local
    // header of the last one names another compression method than the directory does.
    const inSegment = rows.filter((r) => (r as unknown as { segment: number }).segment === segment.index);
    assert.ok(inSegment.length >= 2, `${inSegment.length} entries in segment ${segment.index}`);
    const { data: facts } = await platform.admin.from("album_entries").select("idx, local_offset").eq("album_id", options.albumId).order("idx");
    const offsetOf = (idx: number) => Number(facts!.find((f) => f.idx === idx)!.local_offset) - segment.start;
    const first = inSegment[0], last = inSegment[inSegment.length - 1];
    bytes[offsetOf(first.idx) + 30 + first.name.length + 1000] ^= 0xff;
    bytes.writeUInt16LE(8, offsetOf(last.idx) + 8);
    const answer = await sendSegment(options, plan.archive, segment, bytes);
    assert.equal(answer.status, 202);
    await uploadSegmented(options, bufferSource(archive), { readSegments: segmentsOf(user.client) });
    const ended = await waitForEnd(user.client, options.albumId);
    assert.equal(ended.status, "partial");
    const after = await readEntries(user.client, options.albumId);
    const byIdx = new Map(after.map((r) => [r.idx, r]));
    assert.deepEqual([byIdx.get(first.idx)!.status, byIdx.get(first.idx)!.reason], ["failed", "damaged: its checksum does not match, the data is corrupt"]);
    assert.deepEqual([byIdx.get(last.idx)!.status, byIdx.get(last.idx)!.reason],
      ["failed", "damaged: its local header does not match the archive's table of contents"]);
    assert.equal(after.filter((r) => r.status === "uploaded").length, photos.length - 2);
    await checkInvariant(platform.admin, ended, after);
  });

  test("leaving the page leaves the album interrupted; the same zip continues it from its plan", async () => {
    const { user, options, plan } = await planned();
    const first = await sendSegment(options, plan.archive, plan.segments[0], bytesOf(plan.segments[0]));
    assert.equal(first.status, 202);
    const left = await fetch(`${platform.url}/functions/v1/album-upload?album=${options.albumId}&part=leave`, {
      method: "POST", headers: { Authorization: `Bearer ${user.accessToken}`, apikey: ANON_KEY },
    });
    assert.equal(left.status, 200);
    assert.equal((await left.json()).status, "interrupted");
    const album = await readAlbum(user.client, options.albumId);
    assert.equal(album.status, "interrupted");
    assert.match(album.error ?? "", /Drop the same zip file on the album to continue/);
    const run = await uploadSegmented(options, bufferSource(archive), { readSegments: segmentsOf(user.client) });
    assert.equal(run.directory.body.resumed, true);
    assert.ok(run.directory.body.segments.some((s) => s.status !== "pending"), "the first segment is not sent again as new");
    const ended = await waitForEnd(user.client, options.albumId);
    assert.equal(ended.status, "ready");
    assert.equal(ended.uploaded, photos.length);
  });
});
