import { saveScreenshot } from "./fixtures/artifacts.ts";
import { expect, test } from "./fixtures/test.ts";
import { photoSet, zipOf } from "./fixtures/zips.ts";

test("a guest uploads a zip of photos, watches every file reach done, and browses them in the lightbox", async ({ page, loginPage, albumsPage, albumPage, files, probe }) => {
  const photos = photoSet(6, { folder: "Summer/", width: 320, height: 240 });
  const path = await files.write("Summer_2026.zip", await zipOf(photos));
  const names = photos.map((p) => p.name.replace("Summer/", ""));

  await loginPage.goto();
  await saveScreenshot(page, "login");
  await loginPage.continueAsGuest();
  await albumsPage.expectNoAlbums();
  await saveScreenshot(page, "albums-home-empty");

  await albumsPage.choose(path);
  await albumsPage.expectReady("Summer_2026.zip", photos.length);
  await saveScreenshot(page, "upload-preflight");
  const albumId = await albumsPage.startUpload();
  await expect(albumPage.heading("Summer 2026")).toBeVisible();

  // Per file: every entry of the archive ends "Added", and the counters agree.
  await albumPage.waitForAllDone({ added: photos.length, skipped: 0, failed: 0 });
  const list = await albumPage.filesInArchive();
  for (const photo of photos) await expect(albumPage.entryRow(list, photo.name)).toContainText("Added");
  await expect.poll(async () => (await probe.album(albumId))?.status).toBe("ready");

  // The photos render: each tile's image decoded, at the fixture's own width.
  await albumPage.expectPhotosRendered(photos);
  await saveScreenshot(page, "album-grid");

  // The lightbox: ← and → step through in archive order, Esc closes and gives focus back.
  const lightbox = await albumPage.openLightbox(photos[0].name);
  await lightbox.expectShowing(1, photos.length, names[0], photos[0].width);
  await saveScreenshot(page, "lightbox", { viewport: true });
  await lightbox.next();
  await lightbox.expectShowing(2, photos.length, names[1], photos[1].width);
  await lightbox.next();
  await lightbox.expectShowing(3, photos.length, names[2], photos[2].width);
  await lightbox.previous();
  await lightbox.expectShowing(2, photos.length, names[1], photos[1].width);
  await lightbox.close();
  await expect(albumPage.photoTile(photos[0].name)).toBeFocused();
});
