// album-upload through the local platform with well-formed archives of every common shape: stored and
// deflated photos, zip64, data descriptors, unicode names, junk, non-photos, duplicate names, a path
// traversal name and an empty archive. Each case ends with the same checks (support/album-checks.ts).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { SupabaseClient } from "@supabase/supabase-js";
import { startTestPlatform, type TestPlatform } from "../../local-supabase/test/support/platform.ts";
import { buildZip } from "./support/zip-builder.ts";
import { jpeg, png, text } from "./support/images.ts";
import { acceptedBody, assertStatus, checkOutcome, uploadToNewAlbum } from "./support/album-scenario.ts";
import type { Expected } from "./support/album-checks.ts";

const JPEG = "image/jpeg";
const PNG = "image/png";
const NOT_A_PHOTO = "not a photo";

describe("album-upload: archive shapes", () => {
  let platform: TestPlatform;
  let service: SupabaseClient;

  before(async () => {
    platform = await startTestPlatform();
    service = platform.service();
  });
  after(() => platform.close());

  test("stored and deflated photos, in folders, are stored byte for byte and the album is ready", async () => {
    const a = jpeg(3_000, 1), b = png(40_000, 2), c = jpeg(1_500_000, 3), d = png(700, 4);
    const archive = buildZip([
      { name: "IMG_0001.jpg", data: a },
      { name: "IMG_0002.png", data: b, method: "deflate" },
      { name: "Summer 2024/" },
      { name: "Summer 2024/IMG_0003.JPG", data: c, method: "deflate" },
      { name: "Summer 2024/Beach/IMG_0004.png", data: d },
    ]);
    const expected: Expected[] = [
      { name: "IMG_0001.jpg", status: "uploaded", key: "IMG_0001.jpg", bytes: a, type: JPEG },
      { name: "IMG_0002.png", status: "uploaded", key: "IMG_0002.png", bytes: b, type: PNG },
      { name: "Summer 2024/IMG_0003.JPG", status: "uploaded", key: "Summer 2024/IMG_0003.JPG", bytes: c, type: JPEG },
      { name: "Summer 2024/Beach/IMG_0004.png", status: "uploaded", key: "Summer 2024/Beach/IMG_0004.png", bytes: d, type: PNG },
    ];
    const outcome = await uploadToNewAlbum(platform, archive);
    assert.equal(outcome.answer.status, 202);
    assert.deepEqual(outcome.answer.body, acceptedBody(outcome.album.id, expected, 1));
    assertStatus(outcome.album, "ready", null);
    assert.equal(Number(outcome.album.source_bytes), archive.length);
    await checkOutcome(service, outcome, expected);
  });

  test("zip64 entries and a zip64 end record", async () => {
    const a = jpeg(20_000, 11), b = png(5_000, 12);
    const archive = buildZip([
      { name: "zip64-a.jpg", data: a, zip64: true, method: "deflate" },
      { name: "zip64-b.png", data: b, zip64: true },
    ], { zip64End: true });
    const expected: Expected[] = [
      { name: "zip64-a.jpg", status: "uploaded", key: "zip64-a.jpg", bytes: a, type: JPEG },
      { name: "zip64-b.png", status: "uploaded", key: "zip64-b.png", bytes: b, type: PNG },
    ];
    const outcome = await uploadToNewAlbum(platform, archive);
    assert.equal(outcome.answer.status, 202);
    assert.deepEqual(outcome.answer.body, acceptedBody(outcome.album.id, expected));
    assertStatus(outcome.album, "ready", null);
    await checkOutcome(service, outcome, expected);
  });

  test("entries whose sizes follow the data in a data descriptor (streamed archives)", async () => {
    const a = jpeg(50_000, 21), b = jpeg(9_000, 22), c = png(2_000, 23);
    const archive = buildZip([
      { name: "descriptor-deflated.jpg", data: a, method: "deflate", dataDescriptor: true },
      { name: "descriptor-stored.jpg", data: b, dataDescriptor: true },
      { name: "descriptor-zip64.png", data: c, method: "deflate", dataDescriptor: true, zip64: true },
    ]);
    const expected: Expected[] = [
      { name: "descriptor-deflated.jpg", status: "uploaded", key: "descriptor-deflated.jpg", bytes: a, type: JPEG },
      { name: "descriptor-stored.jpg", status: "uploaded", key: "descriptor-stored.jpg", bytes: b, type: JPEG },
      { name: "descriptor-zip64.png", status: "uploaded", key: "descriptor-zip64.png", bytes: c, type: PNG },
    ];
    const outcome = await uploadToNewAlbum(platform, archive);
    assert.equal(outcome.answer.status, 202);
    assertStatus(outcome.album, "ready", null);
    await checkOutcome(service, outcome, expected);
  });

  test("unicode names are kept for display while the keys are sanitised", async () => {
    const files = [jpeg(1_000, 31), jpeg(1_100, 32), png(1_200, 33), jpeg(1_300, 34)];
    const names = ["Ünïcödé/café été.jpg", "日本語の写真.jpg", "emoji 📷.png", "Ørsted – Łódź & Co?.jpeg"];
    const keys = ["Unicode/cafe ete.jpg", "_.jpg", "emoji _.png", "Orsted _ Lodz _ Co_.jpeg"];
    const archive = buildZip(names.map((name, i) => ({ name, data: files[i], method: "deflate" as const })));
    const expected: Expected[] = names.map((name, i) => ({ name, status: "uploaded", key: keys[i], bytes: files[i], type: i === 2 ? PNG : JPEG }));
    const outcome = await uploadToNewAlbum(platform, archive);
    assert.equal(outcome.answer.status, 202);
    assertStatus(outcome.album, "ready", null);
    await checkOutcome(service, outcome, expected);
  });

  test("long, deep, control-character and colliding names get safe, unique keys", async () => {
    const files = [jpeg(800, 81), jpeg(801, 82), jpeg(802, 83), jpeg(803, 84), jpeg(804, 85), jpeg(805, 86)];
    const deep = Array.from({ length: 30 }, (_, i) => `folder ${String(i).padStart(2, "0")}`).join("/");
    const names = ["a".repeat(300) + ".jpg", `${deep}/deep.jpg`, "tab\there.jpg", "café.jpg", "cafe.jpg", "./x/./y.jpg"];
    const shown = [names[0], names[1], "tab\uFFFDhere.jpg", "café.jpg", "cafe.jpg", "./x/./y.jpg"];
    const keys = ["a".repeat(116) + ".jpg", "deep.jpg", "tab_here.jpg", "cafe.jpg", "cafe (2).jpg", "x/y.jpg"];
    const archive = buildZip(names.map((name, i) => ({ name, data: files[i] })));
    const expected: Expected[] = shown.map((name, i) => ({ name, status: "uploaded", key: keys[i], bytes: files[i], type: JPEG }));
    const outcome = await uploadToNewAlbum(platform, archive);
    assert.equal(outcome.answer.status, 202);
    assertStatus(outcome.album, "ready", null);
    await checkOutcome(service, outcome, expected);
  });

  test("junk from macOS and Windows is skipped with a reason and does not degrade the album", async () => {
    const photo = jpeg(4_000, 41), other = jpeg(4_100, 42);
    const archive = buildZip([
      { name: "Trip/IMG_0005.jpg", data: photo },
      { name: "__MACOSX/" },
      { name: "__MACOSX/Trip/._IMG_0005.jpg", data: jpeg(120, 43) },
      { name: "Trip/._IMG_0006.jpg", data: jpeg(120, 44) },
      { name: "Trip/.DS_Store", data: text("Bud1 settings") },
      { name: "Trip/Thumbs.db", data: text("thumbnail cache") },
      { name: "desktop.ini", data: text("[.ShellClassInfo]") },
      { name: "Trip/IMG_0006.jpg", data: other },
    ]);
    const expected: Expected[] = [
      { name: "Trip/IMG_0005.jpg", status: "uploaded", key: "Trip/IMG_0005.jpg", bytes: photo, type: JPEG },
      { name: "__MACOSX/Trip/._IMG_0005.jpg", status: "skipped", code: "junk", reason: "macOS metadata (__MACOSX), not a photo", atOnce: true },
      { name: "Trip/._IMG_0006.jpg", status: "skipped", code: "junk", reason: "macOS resource fork (._ file), not a photo", atOnce: true },
      { name: "Trip/.DS_Store", status: "skipped", code: "junk", reason: "macOS folder settings (.DS_Store), not a photo", atOnce: true },
      { name: "Trip/Thumbs.db", status: "skipped", code: "junk", reason: "Windows thumbnail cache (Thumbs.db), not a photo", atOnce: true },
      { name: "desktop.ini", status: "skipped", code: "junk", reason: "Windows folder settings (desktop.ini), not a photo", atOnce: true },
      { name: "Trip/IMG_0006.jpg", status: "uploaded", key: "Trip/IMG_0006.jpg", bytes: other, type: JPEG },
    ];
    const outcome = await uploadToNewAlbum(platform, archive);
    assert.equal(outcome.answer.status, 202);
    assert.deepEqual(outcome.answer.body, acceptedBody(outcome.album.id, expected, 1));
    assertStatus(outcome.album, "ready", null);
    await checkOutcome(service, outcome, expected);
  });

  test("files that are not photos are skipped by their bytes, not their names", async () => {
    const photo = jpeg(6_000, 51), noExtension = jpeg(2_500, 52);
    const archive = buildZip([
      { name: "notes.txt", data: text("remember the sunscreen\n".repeat(20)), method: "deflate" },
      { name: "ticket.pdf", data: Buffer.concat([text("%PDF-1.7\n"), jpeg(3_000, 53)]) },
      { name: "pretending.jpg", data: text("I am text wearing a .jpg name") },
      { name: "IMG_0007", data: noExtension, method: "deflate" },
      { name: "empty.jpg", data: Buffer.alloc(0) },
      { name: "more-photos.zip", data: buildZip([{ name: "x.jpg", data: jpeg(100, 54) }]) },
      { name: "disguised.bin", data: buildZip([{ name: "y.jpg", data: jpeg(100, 55) }]) },
      { name: "IMG_0008.jpg", data: photo },
    ]);
    const nested = "archive inside the archive; Shoebox does not open nested archives";
    const expected: Expected[] = [
      { name: "notes.txt", status: "skipped", code: "not_photo", reason: NOT_A_PHOTO },
      { name: "ticket.pdf", status: "skipped", code: "not_photo", reason: NOT_A_PHOTO },
      { name: "pretending.jpg", status: "skipped", code: "not_photo", reason: NOT_A_PHOTO },
      { name: "IMG_0007", status: "uploaded", key: "IMG_0007", bytes: noExtension, type: JPEG },
      { name: "empty.jpg", status: "skipped", code: "not_photo", reason: "empty file, not a photo" },
      { name: "more-photos.zip", status: "skipped", code: "nested_archive", reason: nested, atOnce: true },
      { name: "disguised.bin", status: "skipped", code: "nested_archive", reason: nested },
      { name: "IMG_0008.jpg", status: "uploaded", key: "IMG_0008.jpg", bytes: photo, type: JPEG },
    ];
    const outcome = await uploadToNewAlbum(platform, archive);
    assert.equal(outcome.answer.status, 202);
    assert.deepEqual(outcome.answer.body, acceptedBody(outcome.album.id, expected));
    assertStatus(outcome.album, "ready", null);
    await checkOutcome(service, outcome, expected);
  });

  test("duplicate names and case collisions get distinct keys, none overwrites another", async () => {
    const files = [jpeg(1_000, 61), jpeg(1_001, 62), jpeg(1_002, 63), jpeg(1_003, 64), jpeg(1_000, 61)];
    const names = ["a/IMG.jpg", "a/img.JPG", "a/IMG.jpg", "A/IMG.jpg", "b/IMG.jpg"];
    const keys = ["a/IMG.jpg", "a/img (2).JPG", "a/IMG (3).jpg", "A/IMG (4).jpg", "b/IMG.jpg"];
    const archive = buildZip(names.map((name, i) => ({ name, data: files[i] })));
    const expected: Expected[] = names.map((name, i) => ({ name, status: "uploaded", key: keys[i], bytes: files[i], type: JPEG }));
    const outcome = await uploadToNewAlbum(platform, archive);
    assert.equal(outcome.answer.status, 202);
    assertStatus(outcome.album, "ready", null);
    await checkOutcome(service, outcome, expected);
  });

  test("a path-traversal name stays under <owner>/<album>/", async () => {
    const evil = jpeg(900, 71), absolute = jpeg(901, 72), windows = jpeg(902, 73);
    const archive = buildZip([
      { name: "../../etc/passwd.jpg", data: evil },
      { name: "/abs/IMG.jpg", data: absolute },
      { name: "..\\..\\windows.jpg", data: windows },
    ]);
    const expected: Expected[] = [
      { name: "../../etc/passwd.jpg", status: "uploaded", key: "etc/passwd.jpg", bytes: evil, type: JPEG },
      { name: "/abs/IMG.jpg", status: "uploaded", key: "abs/IMG.jpg", bytes: absolute, type: JPEG },
      { name: "..\\..\\windows.jpg", status: "uploaded", key: "windows.jpg", bytes: windows, type: JPEG },
    ];
    const outcome = await uploadToNewAlbum(platform, archive);
    assert.equal(outcome.answer.status, 202);
    assertStatus(outcome.album, "ready", null);
    await checkOutcome(service, outcome, expected);
    for (const outside of ["etc/passwd.jpg", `${outcome.user.id}/etc/passwd.jpg`, "windows.jpg"]) {
      const { error } = await service.storage.from("photos").info(outside);
      assert.ok(error, `nothing was written at ${outside}`);
    }
  });

  test("an empty archive ends ready with no photos", async () => {
    const outcome = await uploadToNewAlbum(platform, buildZip([]));
    assert.equal(outcome.answer.status, 202);
    assert.deepEqual(outcome.answer.body, {
      ...acceptedBody(outcome.album.id, []),
      message: "The archive is empty: there is nothing to import.",
    });
    assertStatus(outcome.album, "ready", null);
    assert.equal(outcome.rows.length, 0);
    await checkOutcome(service, outcome, []);
  });
});
