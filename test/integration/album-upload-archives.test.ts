// album-upload through the local platform with well-formed archives of every common shape: stored and
// deflated photos, zip64, data descriptors, unicode names, junk, non-photos, duplicate names, a path
// traversal name and an empty archive. Each case is one row: the archive, the rows it must leave, and
// the same checks for all (support/album-scenario.ts).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { buildZip } from "./support/zip-builder.ts";
import { jpeg, png, text } from "./support/images.ts";
import { acceptedBody, type ArchiveCase, assertStatus, checkOutcome, expectAccepted, uploadToNewAlbum } from "./support/album-scenario.ts";
import type { Expected } from "./support/album-checks.ts";
import { withPlatform } from "./support/platform.ts";

const JPEG = "image/jpeg";
const PNG = "image/png";
const NOT_A_PHOTO = "not a photo";
const photo = (name: string, bytes: Buffer, type = JPEG, key = name): Expected => ({ name, status: "uploaded", key, bytes, type });

/** Stored and deflated photos, in folders. */
const folders = (() => {
  const a = jpeg(3_000, 1), b = png(40_000, 2), c = jpeg(1_500_000, 3), d = png(700, 4);
  return {
    archive: buildZip([
      { name: "IMG_0001.jpg", data: a },
      { name: "IMG_0002.png", data: b, method: "deflate" },
      { name: "Summer 2024/" },
      { name: "Summer 2024/IMG_0003.JPG", data: c, method: "deflate" },
      { name: "Summer 2024/Beach/IMG_0004.png", data: d },
    ]),
    expected: [
      photo("IMG_0001.jpg", a),
      photo("IMG_0002.png", b, PNG),
      photo("Summer 2024/IMG_0003.JPG", c),
      photo("Summer 2024/Beach/IMG_0004.png", d, PNG),
    ],
  };
})();

const zip64 = (() => {
  const a = jpeg(20_000, 11), b = png(5_000, 12);
  return {
    archive: buildZip([
      { name: "zip64-a.jpg", data: a, zip64: true, method: "deflate" },
      { name: "zip64-b.png", data: b, zip64: true },
    ], { zip64End: true }),
    expected: [photo("zip64-a.jpg", a), photo("zip64-b.png", b, PNG)],
  };
})();

const descriptors = (() => {
  const a = jpeg(50_000, 21), b = jpeg(9_000, 22), c = png(2_000, 23);
  return {
    archive: buildZip([
      { name: "descriptor-deflated.jpg", data: a, method: "deflate", dataDescriptor: true },
      { name: "descriptor-stored.jpg", data: b, dataDescriptor: true },
      { name: "descriptor-zip64.png", data: c, method: "deflate", dataDescriptor: true, zip64: true },
    ]),
    expected: [photo("descriptor-deflated.jpg", a), photo("descriptor-stored.jpg", b), photo("descriptor-zip64.png", c, PNG)],
  };
})();

const unicode = (() => {
  const files = [jpeg(1_000, 31), jpeg(1_100, 32), png(1_200, 33), jpeg(1_300, 34)];
  const names = ["Ünïcödé/café été.jpg", "日本語の写真.jpg", "emoji 📷.png", "Ørsted – Łódź & Co?.jpeg"];
  const keys = ["Unicode/cafe ete.jpg", "_.jpg", "emoji _.png", "Orsted _ Lodz _ Co_.jpeg"];
  return {
    archive: buildZip(names.map((name, i) => ({ name, data: files[i], method: "deflate" as const }))),
    expected: names.map((name, i) => photo(name, files[i], i === 2 ? PNG : JPEG, keys[i])),
  };
})();

const awkwardNames = (() => {
  const files = [jpeg(800, 81), jpeg(801, 82), jpeg(802, 83), jpeg(803, 84), jpeg(804, 85), jpeg(805, 86)];
  const deep = Array.from({ length: 30 }, (_, i) => `folder ${String(i).padStart(2, "0")}`).join("/");
  const names = ["a".repeat(300) + ".jpg", `${deep}/deep.jpg`, "tab\there.jpg", "café.jpg", "cafe.jpg", "./x/./y.jpg"];
  const shown = [names[0], names[1], "tab\uFFFDhere.jpg", "café.jpg", "cafe.jpg", "./x/./y.jpg"];
  const keys = ["a".repeat(116) + ".jpg", "deep.jpg", "tab_here.jpg", "cafe.jpg", "cafe (2).jpg", "x/y.jpg"];
  return {
    archive: buildZip(names.map((name, i) => ({ name, data: files[i] }))),
    expected: shown.map((name, i) => photo(name, files[i], JPEG, keys[i])),
  };
})();

const junk = (() => {
  const a = jpeg(4_000, 41), b = jpeg(4_100, 42);
  const skipped = (name: string, reason: string): Expected => ({ name, status: "skipped", code: "junk", reason, atOnce: true });
  return {
    archive: buildZip([
      { name: "Trip/IMG_0005.jpg", data: a },
      { name: "__MACOSX/" },
      { name: "__MACOSX/Trip/._IMG_0005.jpg", data: jpeg(120, 43) },
      { name: "Trip/._IMG_0006.jpg", data: jpeg(120, 44) },
      { name: "Trip/.DS_Store", data: text("Bud1 settings") },
      { name: "Trip/Thumbs.db", data: text("thumbnail cache") },
      { name: "desktop.ini", data: text("[.ShellClassInfo]") },
      { name: "Trip/IMG_0006.jpg", data: b },
    ]),
    expected: [
      photo("Trip/IMG_0005.jpg", a),
      skipped("__MACOSX/Trip/._IMG_0005.jpg", "macOS metadata (__MACOSX), not a photo"),
      skipped("Trip/._IMG_0006.jpg", "macOS resource fork (._ file), not a photo"),
      skipped("Trip/.DS_Store", "macOS folder settings (.DS_Store), not a photo"),
      skipped("Trip/Thumbs.db", "Windows thumbnail cache (Thumbs.db), not a photo"),
      skipped("desktop.ini", "Windows folder settings (desktop.ini), not a photo"),
      photo("Trip/IMG_0006.jpg", b),
    ],
  };
})();

const notPhotos = (() => {
  const a = jpeg(6_000, 51), noExtension = jpeg(2_500, 52);
  const nested = "archive inside the archive; Shoebox does not open nested archives";
  return {
    archive: buildZip([
      { name: "notes.txt", data: text("remember the sunscreen\n".repeat(20)), method: "deflate" },
      { name: "ticket.pdf", data: Buffer.concat([text("%PDF-1.7\n"), jpeg(3_000, 53)]) },
      { name: "pretending.jpg", data: text("I am text wearing a .jpg name") },
      { name: "IMG_0007", data: noExtension, method: "deflate" },
      { name: "empty.jpg", data: Buffer.alloc(0) },
      { name: "more-photos.zip", data: buildZip([{ name: "x.jpg", data: jpeg(100, 54) }]) },
      { name: "disguised.bin", data: buildZip([{ name: "y.jpg", data: jpeg(100, 55) }]) },
      { name: "IMG_0008.jpg", data: a },
    ]),
    expected: [
      { name: "notes.txt", status: "skipped", code: "not_photo", reason: NOT_A_PHOTO },
      { name: "ticket.pdf", status: "skipped", code: "not_photo", reason: NOT_A_PHOTO },
      { name: "pretending.jpg", status: "skipped", code: "not_photo", reason: NOT_A_PHOTO },
      photo("IMG_0007", noExtension),
      { name: "empty.jpg", status: "skipped", code: "not_photo", reason: "empty file, not a photo" },
      { name: "more-photos.zip", status: "skipped", code: "nested_archive", reason: nested, atOnce: true },
      { name: "disguised.bin", status: "skipped", code: "nested_archive", reason: nested },
      photo("IMG_0008.jpg", a),
    ] satisfies Expected[],
  };
})();

const duplicates = (() => {
  const files = [jpeg(1_000, 61), jpeg(1_001, 62), jpeg(1_002, 63), jpeg(1_003, 64), jpeg(1_000, 61)];
  const names = ["a/IMG.jpg", "a/img.JPG", "a/IMG.jpg", "A/IMG.jpg", "b/IMG.jpg"];
  const keys = ["a/IMG.jpg", "a/img (2).JPG", "a/IMG (3).jpg", "A/IMG (4).jpg", "b/IMG.jpg"];
  return {
    archive: buildZip(names.map((name, i) => ({ name, data: files[i] }))),
    expected: names.map((name, i) => photo(name, files[i], JPEG, keys[i])),
  };
})();

const traversal = (() => {
  const evil = jpeg(900, 71), absolute = jpeg(901, 72), windows = jpeg(902, 73);
  return {
    archive: buildZip([
      { name: "../../etc/passwd.jpg", data: evil },
      { name: "/abs/IMG.jpg", data: absolute },
      { name: "..\\..\\windows.jpg", data: windows },
    ]),
    expected: [
      photo("../../etc/passwd.jpg", evil, JPEG, "etc/passwd.jpg"),
      photo("/abs/IMG.jpg", absolute, JPEG, "abs/IMG.jpg"),
      photo("..\\..\\windows.jpg", windows, JPEG, "windows.jpg"),
    ],
  };
})();

describe("album-upload: archive shapes", () => {
  const platform = withPlatform();

  /** Every archive here is accepted and ends `ready`: each row is stored byte for byte or skipped with its reason. */
  const cases: ArchiveCase[] = [
    { title: "stored and deflated photos, in folders, are stored byte for byte and the album is ready", ...folders, folders: 1 },
    { title: "zip64 entries and a zip64 end record", ...zip64 },
    { title: "entries whose sizes follow the data in a data descriptor (streamed archives)", ...descriptors },
    { title: "unicode names are kept for display while the keys are sanitised", ...unicode },
    { title: "long, deep, control-character and colliding names get safe, unique keys", ...awkwardNames },
    { title: "junk from macOS and Windows is skipped with a reason and does not degrade the album", ...junk, folders: 1 },
    { title: "files that are not photos are skipped by their bytes, not their names", ...notPhotos },
    { title: "duplicate names and case collisions get distinct keys, none overwrites another", ...duplicates },
    {
      title: "a path-traversal name stays under <owner>/<album>/",
      ...traversal,
      async also(outcome) {
        for (const outside of ["etc/passwd.jpg", `${outcome.user.id}/etc/passwd.jpg`, "windows.jpg"]) {
          const { error } = await platform.admin.storage.from("photos").info(outside);
          assert.ok(error, `nothing was written at ${outside}`);
        }
      },
    },
  ];
  for (const archiveCase of cases) test(archiveCase.title, () => expectAccepted(platform, archiveCase));

  test("an empty archive ends ready with no photos", async () => {
    const outcome = await uploadToNewAlbum(platform, buildZip([]));
    assert.equal(outcome.answer.status, 202);
    assert.deepEqual(outcome.answer.body, {
      ...acceptedBody(outcome.album.id, []),
      message: "The archive is empty: there is nothing to import.",
    });
    assertStatus(outcome.album, "ready", null);
    assert.equal(outcome.rows.length, 0);
    await checkOutcome(platform.admin, outcome, []);
  });
});
