// album-upload through the local platform with damaged and hostile archives: an encrypted entry, CRC
// mismatches, a deflate bomb, an overlapping-entry bomb, and archives refused outright (not a zip,
// truncated, wholly encrypted). A bad entry never stops the job; a refused archive fails the album.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import type { SupabaseClient } from "@supabase/supabase-js";
import { startTestPlatform, type TestPlatform } from "../../local-supabase/test/support/platform.ts";
import { buildZip } from "./support/zip-builder.ts";
import { jpeg, png, text, zeroJpeg } from "./support/images.ts";
import { acceptedBody, assertStatus, checkOutcome, type Outcome, uploadToNewAlbum } from "./support/album-scenario.ts";
import { checkInvariant, type Expected } from "./support/album-checks.ts";

const JPEG = "image/jpeg";
const MiB = 1024 * 1024;
const ENCRYPTED = "encrypted — Shoebox cannot open password-protected files";
const BAD_CRC = "damaged: its checksum does not match, the data is corrupt";
const SIZE_LIE = "damaged: it expands to a different size than the archive records";
const OVERLAP = "shares its data with another file in the archive (overlapping entries, a zip-bomb pattern)";
const lost = (n: number, of: number) => `${n} of ${of} photos could not be imported; see each file for the reason.`;

describe("album-upload: damaged and hostile archives", () => {
  let platform: TestPlatform;
  let service: SupabaseClient;

  before(async () => {
    platform = await startTestPlatform();
    service = platform.service();
  });
  after(() => platform.close());

  /** A refused archive: the error answer, the album failed with the same words, nothing stored. */
  async function checkRefused(outcome: Outcome, status: number, error: string, message: string | RegExp) {
    try {
      assert.equal(outcome.answer.status, status, JSON.stringify(outcome.answer.body));
      assert.equal(outcome.answer.body.error, error);
      if (typeof message === "string") assert.equal(outcome.answer.body.message, message);
      else assert.match(String(outcome.answer.body.message), message);
      assertStatus(outcome.album, "failed", String(outcome.answer.body.message));
      assert.equal(outcome.rows.length, 0);
      await checkInvariant(service, outcome.album, outcome.rows);
      const announced = await outcome.feed.waitForStatus("failed");
      assert.deepEqual(outcome.feed.received, [{ event: "status", payload: { status: "failed", error: announced.error } }]);
      assert.equal(announced.error, outcome.answer.body.message);
    } finally {
      await outcome.feed.leave();
    }
  }

  test("an encrypted entry is skipped with a reason; the other photos make a partial album", async () => {
    const a = jpeg(5_000, 1), b = png(5_000, 2);
    const archive = buildZip([
      { name: "a.jpg", data: a },
      // A ZipCrypto entry starts with a 12-byte encryption header; the bytes themselves are never read.
      { name: "secret.jpg", data: Buffer.concat([Buffer.alloc(12, 7), jpeg(2_000, 3)]), encrypted: true },
      { name: "b.png", data: b, method: "deflate" },
    ]);
    const expected: Expected[] = [
      { name: "a.jpg", status: "uploaded", key: "a.jpg", bytes: a, type: JPEG },
      { name: "secret.jpg", status: "skipped", code: "encrypted", reason: ENCRYPTED, atOnce: true },
      { name: "b.png", status: "uploaded", key: "b.png", bytes: b, type: "image/png" },
    ];
    const outcome = await uploadToNewAlbum(platform, archive);
    assert.equal(outcome.answer.status, 202);
    assert.deepEqual(outcome.answer.body, acceptedBody(outcome.album.id, expected));
    assertStatus(outcome.album, "partial", lost(1, 3));
    await checkOutcome(service, outcome, expected);
  });

  test("entries whose CRC does not match fail as damaged and leave no object behind", async () => {
    const good = jpeg(8_000, 11), stored = jpeg(300_000, 12), deflated = jpeg(200_000, 13);
    const archive = buildZip([
      { name: "good.jpg", data: good },
      { name: "corrupt-stored.jpg", data: stored, crc32: 0x12345678 },
      { name: "corrupt-deflated.jpg", data: deflated, method: "deflate", crc32: 0xdeadbeef },
    ]);
    const expected: Expected[] = [
      { name: "good.jpg", status: "uploaded", key: "good.jpg", bytes: good, type: JPEG },
      { name: "corrupt-stored.jpg", status: "failed", code: "damaged", reason: BAD_CRC },
      { name: "corrupt-deflated.jpg", status: "failed", code: "damaged", reason: BAD_CRC },
    ];
    const outcome = await uploadToNewAlbum(platform, archive);
    assert.equal(outcome.answer.status, 202);
    assert.deepEqual(outcome.answer.body, acceptedBody(outcome.album.id, expected));
    assertStatus(outcome.album, "partial", lost(2, 3));
    await checkOutcome(service, outcome, expected);
  });

  test("a deflate bomb is stopped by its compression ratio", async () => {
    const good = jpeg(10_000, 21), bombBytes = zeroJpeg(40 * MiB);
    const archive = buildZip([
      // Declares its true size (below the 50 MiB photo limit), so only the ratio can catch it.
      { name: "bomb.jpg", data: bombBytes, method: "deflate" },
      { name: "good.jpg", data: good, method: "deflate" },
    ]);
    assert.ok(archive.length < 200_000, "the bomb is small on the wire");
    const expected: Expected[] = [
      { name: "bomb.jpg", status: "skipped", code: "ratio", reason: "suspicious compression ratio (more than 100:1), possibly a zip bomb" },
      { name: "good.jpg", status: "uploaded", key: "good.jpg", bytes: good, type: JPEG },
    ];
    const outcome = await uploadToNewAlbum(platform, archive);
    assert.equal(outcome.answer.status, 202);
    assertStatus(outcome.album, "partial", lost(1, 2));
    await checkOutcome(service, outcome, expected);
    // The ratio is produced bytes over the entry's whole compressed size, so extraction stops once it
    // passes 100 × compressed, give or take what one 16 KiB piece of input inflates to (deflate expands
    // at most 1032:1) — long before the 40 MiB it holds.
    const stopAt = 100 * deflateRawSync(bombBytes).length;
    const produced = Number(outcome.rows[0].size);
    const onePiece = 16 * 1024 * 1032;
    assert.ok(produced > stopAt && produced <= stopAt + onePiece, `extraction stopped after ${produced} bytes (limit ${stopAt})`);
    assert.ok(produced < bombBytes.length / 2, `stopped early, at ${produced} of ${bombBytes.length} bytes`);
  });

  test("directory records sharing one entry's data (an overlapping-entry bomb) all fail at once", async () => {
    const good = jpeg(7_000, 31);
    const archive = buildZip([
      { name: "good.jpg", data: good },
      { name: "layer-0.jpg", data: zeroJpeg(2 * 1024 * 1024), method: "deflate" },
      { name: "layer-1.jpg", sameDataAs: 1 },
      { name: "layer-2.jpg", sameDataAs: 1 },
      { name: "layer-3.jpg", sameDataAs: 1 },
    ]);
    const layers: Expected[] = [0, 1, 2, 3].map((n) => ({ name: `layer-${n}.jpg`, status: "failed", code: "overlap", reason: OVERLAP, atOnce: true }));
    const expected: Expected[] = [{ name: "good.jpg", status: "uploaded", key: "good.jpg", bytes: good, type: JPEG }, ...layers];
    const outcome = await uploadToNewAlbum(platform, archive);
    assert.equal(outcome.answer.status, 202);
    assert.deepEqual(outcome.answer.body, acceptedBody(outcome.album.id, expected));
    assertStatus(outcome.album, "partial", lost(4, 5));
    await checkOutcome(service, outcome, expected);
  });

  test("entries that lie about their size or are links are never stored as photos", async () => {
    const good = jpeg(6_000, 61);
    const archive = buildZip([
      { name: "good.jpg", data: good },
      { name: "link.jpg", data: text("../../../../etc/passwd"), unixMode: 0o120777 },
      // Declares 60 MB: refused from the directory alone, before a byte is read.
      { name: "huge.jpg", data: jpeg(1_000, 62), declaredSize: 60_000_000 },
      // Declares 1 000 bytes but inflates to 200 000.
      { name: "longer.jpg", data: jpeg(200_000, 63), method: "deflate", declaredSize: 1_000 },
      // Declare 90 000 bytes but hold 9 000.
      { name: "shorter.jpg", data: jpeg(9_000, 64), declaredSize: 90_000 },
      { name: "shorter-deflated.jpg", data: jpeg(9_000, 65), method: "deflate", declaredSize: 90_000 },
    ]);
    const expected: Expected[] = [
      { name: "good.jpg", status: "uploaded", key: "good.jpg", bytes: good, type: JPEG },
      { name: "link.jpg", status: "skipped", code: "symlink", reason: "symbolic link, not a photo", atOnce: true },
      { name: "huge.jpg", status: "skipped", code: "too_large", reason: "larger than 52.4 MB", atOnce: true },
      { name: "longer.jpg", status: "failed", code: "damaged", reason: SIZE_LIE },
      { name: "shorter.jpg", status: "failed", code: "damaged", reason: SIZE_LIE },
      // zip.js inflates through the native gzip decoder with a trailer built from the declared CRC and
      // size, so a short deflated entry surfaces as a checksum error: damaged either way.
      { name: "shorter-deflated.jpg", status: "failed", code: "damaged", reason: /^damaged: / },
    ];
    const outcome = await uploadToNewAlbum(platform, archive);
    assert.equal(outcome.answer.status, 202);
    assert.deepEqual(outcome.answer.body, acceptedBody(outcome.album.id, expected));
    assertStatus(outcome.album, "partial", lost(4, 5));
    await checkOutcome(service, outcome, expected);
  });

  test("a file that is not a zip is refused with 415 and the album fails with the same message", async () => {
    const outcome = await uploadToNewAlbum(platform, Buffer.concat([text("%PDF-1.7\n"), jpeg(10_000, 41)]));
    await checkRefused(outcome, 415, "not_zip", "This file is not a zip archive.");
  });

  test("a truncated archive is refused with 422", async () => {
    const whole = buildZip([{ name: "a.jpg", data: jpeg(50_000, 51) }, { name: "b.jpg", data: jpeg(50_000, 52) }]);
    const outcome = await uploadToNewAlbum(platform, whole.subarray(0, 60_000));
    await checkRefused(outcome, 422, "truncated", /incomplete/);
  });

  test("an archive whose every file is encrypted is refused with 422", async () => {
    const archive = buildZip([
      { name: "a.jpg", data: Buffer.alloc(500, 1), encrypted: true },
      { name: "b.jpg", data: Buffer.alloc(500, 2), encrypted: true },
    ]);
    const outcome = await uploadToNewAlbum(platform, archive);
    await checkRefused(outcome, 422, "encrypted", /password-protected/);
  });
});
