import { saveScreenshot } from "./fixtures/artifacts.ts";
import { expectAccessible } from "./fixtures/axe.ts";
import { expect, test } from "./fixtures/test.ts";
import { photoSet, zipOf } from "./fixtures/zips.ts";

test("the main screens have no serious or critical accessibility violations", async ({ page, loginPage, albumsPage, albumPage, files }) => {
  const photos = photoSet(4);
  const path = await files.write("Accessible_album.zip", await zipOf(photos));

  await loginPage.goto();
  await expectAccessible(page, "login");
  await loginPage.continueAsGuest();
  await albumsPage.expectNoAlbums();
  await expectAccessible(page, "albums home, empty");

  await albumsPage.choose(path);
  await albumsPage.expectReady("Accessible_album.zip", photos.length);
  await expectAccessible(page, "upload pre-flight");
  await albumsPage.startUpload();
  await albumPage.waitForAllDone({ added: photos.length, skipped: 0, failed: 0 });
  await albumPage.expectPhotosRendered(photos);
  await expectAccessible(page, "album view");

  const lightbox = await albumPage.openLightbox(photos[1].name);
  await lightbox.expectShowing(2, photos.length, photos[1].name, photos[1].width);
  await expectAccessible(page, "lightbox");
  await lightbox.close();

  await albumsPage.goto();
  await expect(albumsPage.albumLink("Accessible album")).toBeVisible();
  await saveScreenshot(page, "albums-home");
  await expectAccessible(page, "albums home, with an album");
});
