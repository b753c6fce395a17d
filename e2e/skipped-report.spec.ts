import { saveScreenshot } from "./fixtures/artifacts.ts";
import { expect, test } from "./fixtures/test.ts";
import { encryptedPhotoItem, junkItems, notesItem, photoSet, zipOf } from "./fixtures/zips.ts";

/** What the album shows for each entry that is not a photo (the function's reasons). */
const JUNK_REASONS: [string, RegExp][] = [
  ["__MACOSX/._a.jpg", /macOS metadata \(__MACOSX\)/],
  [".DS_Store", /\(\.DS_Store\)/],
  ["Thumbs.db", /Windows thumbnail cache \(Thumbs\.db\)/],
  ["notes.txt", /not a photo/],
];
const ENCRYPTED_REASON = /encrypted|password-protected/;

test.beforeEach(async ({ loginPage }) => {
  await loginPage.goto();
  await loginPage.continueAsGuest();
});

test("junk, a non-image and an encrypted entry are listed in the skipped report, each with its reason", async ({ page, albumsPage, albumPage, files, probe }) => {
  const photos = photoSet(3);
  const encrypted = encryptedPhotoItem("private/secret.jpg");
  const path = await files.write("Mixed_bag.zip", await zipOf([...photos, ...junkItems(), notesItem(), encrypted]));

  // Pre-flight: the encrypted entry is one of four photos; the readable three can still be added.
  await albumsPage.choose(path);
  await albumsPage.expectReady("Mixed_bag.zip", 4);
  const albumId = await albumsPage.startUpload();

  await albumPage.waitForAllDone({ added: 3, skipped: 5, failed: 0 });
  // A photo that could not be opened makes the album partial (junk and non-photos do not).
  await expect(page.getByText("Some files were not added")).toBeVisible();
  await expect(albumPage.skippedReport).toContainText("5 files were not added");
  await expect(albumPage.skippedList.getByRole("listitem")).toHaveCount(5);
  for (const [name, reason] of JUNK_REASONS) await albumPage.expectSkipped(name, reason);
  await albumPage.expectSkipped(encrypted.name, ENCRYPTED_REASON);
  await saveScreenshot(page, "skipped-report-encrypted");

  expect(await probe.album(albumId)).toMatchObject({ status: "partial", uploaded: 3, skipped: 5 });
  const entries = await probe.entries(albumId);
  expect(entries.filter((e) => e.status === "skipped").map((e) => e.name).sort()).toEqual([...JUNK_REASONS.map(([n]) => n), encrypted.name].sort());
});

test("junk and a non-image are skipped with their reasons while the photos are added", async ({ page, albumsPage, albumPage, files, probe }) => {
  const photos = photoSet(3);
  const path = await files.write("Holiday_with_junk.zip", await zipOf([...photos, ...junkItems(), notesItem()]));

  await albumsPage.choose(path);
  await albumsPage.expectReady("Holiday_with_junk.zip", 3);
  const notes = page.getByRole("list", { name: "Notes about this archive" });
  await expect(notes).toContainText("1 file is not a photo and will be skipped.");
  await expect(notes).toContainText("3 system files (such as __MACOSX or .DS_Store) will be ignored.");
  const albumId = await albumsPage.startUpload();

  await albumPage.waitForAllDone({ added: 3, skipped: 4, failed: 0 });
  // Junk and non-photos are expected in archives: no photo was lost, so the album is ready.
  expect(await probe.album(albumId)).toMatchObject({ status: "ready", uploaded: 3, skipped: 4 });
  await expect(albumPage.skippedReport).toContainText("4 files were not added");
  await expect(albumPage.skippedList.getByRole("listitem")).toHaveCount(4);
  for (const [name, reason] of JUNK_REASONS) await albumPage.expectSkipped(name, reason);
  await albumPage.expectPhotosRendered(photos);
  await saveScreenshot(page, "skipped-report");
});
