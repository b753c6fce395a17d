// album-upload through the local platform with damaged and hostile archives: an encrypted entry, CRC
// mismatches, a deflate bomb, an overlapping-entry bomb, and archives refused outright (not a zip,
// truncated, wholly encrypted). A bad entry never stops the job; a refused archive fails the album.
// Each case is one row of a table, checked the same way as the others.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import { buildZip } from "./support/zip-builder.ts";
import { jpeg, png, text, zeroJpeg } from "./support/images.ts";
import { type ArchiveCase, assertStatus, expectAccepted, uploadToNewAlbum } from "./support/album-scenario.ts";
import { checkInvariant, type Expected } from "./support/album-checks.ts";
import { withPlatform } from "./support/platform.ts";

const JPEG = "image/jpeg";
const MiB = 1024 * 1024;
const ENCRYPTED = "encrypted — Shoebox cannot open password-protected files";
const BAD_CRC = "damaged: its checksum does not match, the data is corrupt";
const SIZE_LIE = "damaged: it expands to a different size than the archive records";
const OVERLAP = "shares its data with another file in the archive (overlapping entries, a zip-bomb pattern)";
const lost = (n: number, of: number) => `${n} of ${of} photos could not be imported; see each file for the reason.`;
const partial = (n: number, of: number) => ({ status: "partial" as const, error: lost(n, of) });
const photo = (name: string, bytes: Buffer, type = JPEG): Expected => ({ name, status: "uploaded", key: name, bytes, type });

const encryptedEntry = (() => {
  const a = jpeg(5_000, 1), b = png(5_000, 2);
  return {
    archive: buildZip([
      { name: "a.jpg", data: a },
      // A ZipCrypto entry starts with a 12-byte encryption header; the bytes themselves are never read.
      { name: "secret.jpg", data: Buffer.concat([Buffer.alloc(12, 7), jpeg(2_000, 3)]), encrypted: true },
      { name: "b.png", data: b, method: "deflate" },
    ]),
    expected: [
      photo("a.jpg", a),
      { name: "secret.jpg", status: "skipped", code: "encrypted", reason: ENCRYPTED, atOnce: true },
      photo("b.png", b, "image/png"),
    ] satisfies Expected[],
  };
})();

const badCrc = (() => {
  const good = jpeg(8_000, 11), stored = jpeg(300_000, 12), deflated = jpeg(200_000, 13);
  return {
    archive: buildZip([
      { name: "good.jpg", data: good },
      { name: "corrupt-stored.jpg", data: stored, crc32: 0x12345678 },
      { name: "corrupt-deflated.jpg", data: deflated, method: "deflate", crc32: 0xdeadbeef },
    ]),
    expected: [
      photo("good.jpg", good),
      { name: "corrupt-stored.jpg", status: "failed", code: "damaged", reason: BAD_CRC },
      { name: "corrupt-deflated.jpg", status: "failed", code: "damaged", reason: BAD_CRC },
    ] satisfies Expected[],
  };
})();

const deflateBomb = (() => {
  const good = jpeg(10_000, 21), bombBytes = zeroJpeg(40 * MiB);
  const archive = buildZip([
    // Declares its true size (below the 50 MiB photo limit), so only the ratio can catch it.
    { name: "bomb.jpg", data: bombBytes, method: "deflate" },
    { name: "good.jpg", data: good, method: "deflate" },
  ]);
  return {
    archive,
    bombBytes,
    expected: [
      { name: "bomb.jpg", status: "skipped", code: "ratio", reason: "suspicious compression ratio (more than 100:1), possibly a zip bomb" },
      photo("good.jpg", good),
    ] satisfies Expected[],
  };
})();

const overlapBomb = (() => {
  const good = jpeg(7_000, 31);
  const layers: Expected[] = [0, 1, 2, 3].map((n) => ({ name: `layer-${n}.jpg`, status: "failed", code: "overlap", reason: OVERLAP, atOnce: true }));
  return {
    archive: buildZip([
      { name: "good.jpg", data: good },
      { name: "layer-0.jpg", data: zeroJpeg(2 * 1024 * 1024), method: "deflate" },
      { name: "layer-1.jpg", sameDataAs: 1 },
      { name: "layer-2.jpg", sameDataAs: 1 },
      { name: "layer-3.jpg", sameDataAs: 1 },
    ]),
    expected: [photo("good.jpg", good), ...layers],
  };
})();

const lies = (() => {
  const good = jpeg(6_000, 61);
  return {
    archive: buildZip([
      { name: "good.jpg", data: good },
      { name: "link.jpg", data: text("../../../../etc/passwd"), unixMode: 0o120777 },
      // Declares 60 MB: refused from the directory alone, before a byte is read.
      { name: "huge.jpg", data: jpeg(1_000, 62), declaredSize: 60_000_000 },
      // Declares 1 000 bytes but inflates to 200 000.
      { name: "longer.jpg", data: jpeg(200_000, 63), method: "deflate", declaredSize: 1_000 },
      // Declare 90 000 bytes but hold 9 000.
      { name: "shorter.jpg", data: jpeg(9_000, 64), declaredSize: 90_000 },
      { name: "shorter-deflated.jpg", data: jpeg(9_000, 65), method: "deflate", declaredSize: 90_000 },
    ]),
    expected: [
      photo("good.jpg", good),
      { name: "link.jpg", status: "skipped", code: "symlink", reason: "symbolic link, not a photo", atOnce: true },
      { name: "huge.jpg", status: "skipped", code: "too_large", reason: "larger than 50.0 MB", atOnce: true },
      { name: "longer.jpg", status: "failed", code: "damaged", reason: SIZE_LIE },
      { name: "shorter.jpg", status: "failed", code: "damaged", reason: SIZE_LIE },
      // A short deflated entry surfaces as a size or a checksum error: damaged either way.
      { name: "shorter-deflated.jpg", status: "failed", code: "damaged", reason: /^damaged: / },
    ] satisfies Expected[],
  };
})();

/** Archives refused outright: the answer, and the album failed with the same words. */
interface RefusedCase {
  title: string;
  archive: Buffer;
  status: number;
  error: string;
  message: string | RegExp;
}

const truncated = buildZip([{ name: "a.jpg", data: jpeg(50_000, 51) }, { name: "b.jpg", data: jpeg(50_000, 52) }]).subarray(0, 60_000);

describe("album-upload: damaged and hostile archives", () => {
  const platform = withPlatform();

  const accepted: ArchiveCase[] = [
    { title: "an encrypted entry is skipped with a reason; the other photos make a partial album", ...encryptedEntry, album: partial(1, 3) },
    { title: "entries whose CRC does not match fail as damaged and leave no object behind", ...badCrc, album: partial(2, 3) },
    {
      title: "a deflate bomb is stopped by its compression ratio",
      ...deflateBomb,
      album: partial(1, 2),
      also(outcome) {
        assert.ok(deflateBomb.archive.length < 200_000, "the bomb is small on the wire");
        // The ratio is produced bytes over the entry's whole compressed size, so extraction stops once it
        // passes 100 × compressed, give or take what one 16 KiB piece of input inflates to (deflate expands
        // at most 1032:1) — long before the 40 MiB it holds.
        const stopAt = 100 * deflateRawSync(deflateBomb.bombBytes).length;
        const produced = Number(outcome.rows[0].size);
        const onePiece = 16 * 1024 * 1032;
        assert.ok(produced > stopAt && produced <= stopAt + onePiece, `extraction stopped after ${produced} bytes (limit ${stopAt})`);
        assert.ok(produced < deflateBomb.bombBytes.length / 2, `stopped early, at ${produced} of ${deflateBomb.bombBytes.length} bytes`);
      },
    },
    { title: "directory records sharing one entry's data (an overlapping-entry bomb) all fail at once", ...overlapBomb, album: partial(4, 5) },
    { title: "entries that lie about their size or are links are never stored as photos", ...lies, album: partial(4, 5) },
  ];
  for (const row of accepted) test(row.title, () => expectAccepted(platform, row));

  const refused: RefusedCase[] = [
    {
      title: "a file that is not a zip is refused with 415 and the album fails with the same message",
      archive: Buffer.concat([text("%PDF-1.7\n"), jpeg(10_000, 41)]),
      status: 415, error: "not_zip", message: "This file is not a zip archive. Choose a .zip file; if it is one, create it again.",
    },
    { title: "a truncated archive is refused with 422", archive: truncated, status: 422, error: "truncated", message: /incomplete/ },
    {
      title: "an archive whose every file is encrypted is refused with 422",
      archive: buildZip([
        { name: "a.jpg", data: Buffer.alloc(500, 1), encrypted: true },
        { name: "b.jpg", data: Buffer.alloc(500, 2), encrypted: true },
      ]),
      status: 422, error: "encrypted", message: /password-protected/,
    },
  ];
  for (const row of refused) {
    test(row.title, async () => {
      const outcome = await uploadToNewAlbum(platform, row.archive);
      try {
        assert.equal(outcome.answer.status, row.status, JSON.stringify(outcome.answer.body));
        assert.equal(outcome.answer.body.code, row.error);
        if (typeof row.message === "string") assert.equal(outcome.answer.body.message, row.message);
        else assert.match(String(outcome.answer.body.message), row.message);
        assertStatus(outcome.album, "failed", String(outcome.answer.body.message));
        assert.equal(outcome.rows.length, 0);
        await checkInvariant(platform.admin, outcome.album, outcome.rows);
        const announced = await outcome.feed.waitForStatus("failed");
        assert.deepEqual(outcome.feed.received, [{ event: "status", payload: { status: "failed", error: announced.error } }]);
        assert.equal(announced.error, outcome.answer.body.message);
      } finally {
        await outcome.feed.leave();
      }
    });
  }
});
