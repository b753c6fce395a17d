import { expect, test } from "./fixtures/test.ts";
import { photoSet, zipOf } from "./fixtures/zips.ts";

const baseName = (photo: { name: string }) => photo.name.split("/").pop()!;

// Tiles, the lightbox and covers show renditions; only "Download original" fetches the original, and
// it saves under the photo's own file name (docs/supabase-behaviour.md#image-transformations).
test("the album and its cover show renditions, and Download original saves the photo under its own name", async ({ page, loginPage, albumsPage, albumPage, files }) => {
  const photos = photoSet(4, { folder: "Day 1/", width: 640, height: 480 });
  const path = await files.write("Trip.zip", await zipOf(photos));
  await loginPage.goto();
  await loginPage.continueAsGuest();
  await albumsPage.choose(path);
  await albumsPage.startUpload();
  await albumPage.waitForAllDone({ added: photos.length, skipped: 0, failed: 0 });

  // A tile is a rendition no wider than the tile's device pixels, not the 640 px original.
  const tile = albumPage.tileImage(albumPage.photoTile(photos[0].name));
  await tile.scrollIntoViewIfNeeded();
  await expect(tile).toHaveAttribute("src", /\/storage\/v1\/render\/image\/sign\/photos\//);
  await expect.poll(() => tile.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBeGreaterThan(0);
  const side = await tile.evaluate((img) => Math.ceil((img.getBoundingClientRect().width * devicePixelRatio) / 64) * 64);
  expect(await tile.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeLessThanOrEqual(side);

  // The lightbox is a rendition for the screen; Home and End jump to the ends.
  const lightbox = await albumPage.openLightbox(photos[1].name);
  await lightbox.expectShowing(2, photos.length, baseName(photos[1]), photos[1].width);
  await expect(lightbox.dialog.getByRole("img")).toHaveAttribute("src", /\/render\/image\/sign\//);
  await page.keyboard.press("End");
  await expect(lightbox.dialog).toHaveAccessibleName(`Photo ${photos.length} of ${photos.length}: ${baseName(photos.at(-1)!)}`);
  await page.keyboard.press("Home");
  await expect(lightbox.dialog).toHaveAccessibleName(`Photo 1 of ${photos.length}: ${baseName(photos[0])}`);

  const link = lightbox.dialog.getByRole("link", { name: "Download original" });
  await expect(link).toHaveAttribute("href", /\/storage\/v1\/object\/sign\/photos\//);
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toBe(baseName(photos[0]));
  await page.keyboard.press("Escape");

  // The album's cover on the home page is a card-sized rendition too.
  await page.goto("/");
  const cover = page.getByRole("list", { name: "Albums" }).locator("img").first();
  await expect(cover).toHaveAttribute("src", /\/render\/image\/sign\/photos\//);
  await expect.poll(() => cover.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBeGreaterThan(0);
});
