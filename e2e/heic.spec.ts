import { readFile } from "node:fs/promises";
import { saveScreenshot } from "./fixtures/artifacts.ts";
import { expectAccessible } from "./fixtures/axe.ts";
import { expect, test } from "./fixtures/test.ts";
import { photoSet, zipOf, type ZipItem } from "./fixtures/zips.ts";
import { expectImageLoaded } from "./pages/images.ts";
import { buildHeic, corruptHeic } from "../test/support/heic.ts";

const UNAVAILABLE = "Can't show HEIC preview";

// iPhone HEIC photos show through renditions, which the platform decodes with libheif
// (docs/supabase-behaviour.md#heic-sources); one that no rendition can show says so and offers its
// original, in the grid and in the lightbox, and never appears as a broken image.
test("HEIC photos show as renditions, and one no rendition can show offers its original instead", async ({ page, loginPage, albumsPage, albumPage, files }) => {
  const heics: ZipItem[] = [
    { name: "iPhone/IMG_0101.HEIC", data: await buildHeic({ width: 640, height: 480, exif: { dateTimeOriginal: "2024:07:12 09:30:00", make: "Apple", model: "iPhone 15" } }) },
    { name: "iPhone/IMG_0102.HEIC", data: await buildHeic({ width: 640, height: 480, rotation: 90, exif: { orientation: 6, dateTimeOriginal: "2024:07:12 10:15:00" } }) },
  ];
  // Coded picture data overwritten: still a HEIC to the upload's sniffer, but nothing can decode it.
  const broken: ZipItem = { name: "iPhone/IMG_0103.HEIC", data: corruptHeic(await buildHeic({ width: 640, height: 480 })) };
  const jpeg = photoSet(2, { folder: "iPhone/", width: 320, height: 240 })[1];
  const path = await files.write("iPhone.zip", await zipOf([...heics, broken, jpeg]));

  await loginPage.goto();
  await loginPage.continueAsGuest();
  await albumsPage.choose(path);
  await albumsPage.startUpload();
  await albumPage.waitForAllDone({ added: 4, skipped: 0, failed: 0 });

  // The HEIC tiles are renditions that really decode in Chromium (which cannot decode HEIC itself).
  for (const heic of heics) {
    const image = albumPage.tileImage(albumPage.photoTile(heic.name));
    await expect(image).toHaveAttribute("src", /\/storage\/v1\/render\/image\/sign\/photos\//);
    await expectImageLoaded(image);
  }
  await expectImageLoaded(albumPage.tileImage(albumPage.photoTile(jpeg.name)));

  // The corrupt one: Storage refuses to render it, and the tile says so instead of a broken image.
  const grid = page.getByRole("list", { name: "Photos" });
  const brokenTile = grid.getByRole("button", { name: `Open ${broken.name}: ${UNAVAILABLE}`, exact: true });
  await brokenTile.scrollIntoViewIfNeeded();
  await expect(brokenTile).toContainText(UNAVAILABLE);
  await expect(brokenTile.locator("img")).toHaveCount(0);
  await expect(grid.locator("img")).toHaveCount(3);
  const tileLink = grid.getByRole("link", { name: "Download original of IMG_0103.HEIC" });
  await expect(tileLink).toHaveAttribute("href", /\/storage\/v1\/object\/sign\/photos\//);
  await saveScreenshot(page, "heic-unavailable-tile");
  await expectAccessible(page, "album with a HEIC no rendition can show");

  // Download original saves the stored bytes, stored as image/heic, under the photo's own name.
  const original = await page.request.get((await tileLink.getAttribute("href"))!);
  expect(original.headers()["content-type"]).toBe("image/heic");
  const [download] = await Promise.all([page.waitForEvent("download"), tileLink.click()]);
  expect(download.suggestedFilename()).toBe("IMG_0103.HEIC");
  expect(Buffer.compare(await readFile(await download.path()), Buffer.from(broken.data))).toBe(0);

  // The lightbox says the same and offers the original too.
  await brokenTile.click();
  const dialog = albumPage.lightbox.dialog;
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("status")).toContainText(UNAVAILABLE);
  await expect(dialog.locator("img")).toHaveCount(0);
  await expect(dialog.getByRole("link", { name: "Download original of IMG_0103.HEIC" })).toHaveAttribute("href", /\/object\/sign\/photos\//);
  await expectAccessible(page, "lightbox of a HEIC no rendition can show");
  await saveScreenshot(page, "heic-unavailable-lightbox", { viewport: true });

  // Stepping to a neighbour that renders shows its image again.
  const others = await dialog.getAttribute("aria-label");
  await page.keyboard.press(others?.startsWith("Photo 1 ") ? "ArrowRight" : "ArrowLeft");
  await expect(dialog.getByRole("img")).toHaveAttribute("src", /\/render\/image\/sign\//);
  await expectImageLoaded(dialog.getByRole("img"));
});

// A project without image transformations signs originals (docs/supabase-behaviour.md#image-transformations),
// and Chromium cannot decode a HEIC original: those tiles say so and offer the original, the JPEG shows.
// The platform renders images, so the transform is taken off each signing request on its way, which is
// what Storage does with it when transformations are off.
test("without image transformations, HEIC originals the browser cannot decode offer their original", async ({ page, loginPage, albumsPage, albumPage, files }) => {
  await page.route("**/storage/v1/object/sign/photos/**", async (route) => {
    const body = route.request().postDataJSON() as { expiresIn: number; transform?: unknown } | null;
    if (route.request().method() !== "POST" || !body?.transform) return route.continue();
    await route.continue({ postData: JSON.stringify({ expiresIn: body.expiresIn }) });
  });
  const heic: ZipItem = { name: "IMG_0201.HEIC", data: await buildHeic({ width: 320, height: 240 }) };
  const jpeg = photoSet(2, { width: 320, height: 240 })[1];
  const path = await files.write("No transformations.zip", await zipOf([heic, jpeg]));
  await loginPage.goto();
  await loginPage.continueAsGuest();
  await albumsPage.choose(path);
  await albumsPage.startUpload();
  await albumPage.waitForAllDone({ added: 2, skipped: 0, failed: 0 });

  const jpegImage = albumPage.tileImage(albumPage.photoTile(jpeg.name));
  await expect(jpegImage).toHaveAttribute("src", /\/storage\/v1\/object\/sign\/photos\//);
  await expectImageLoaded(jpegImage, jpeg.width);
  const grid = page.getByRole("list", { name: "Photos" });
  await expect(grid.getByRole("button", { name: `Open ${heic.name}: ${UNAVAILABLE}`, exact: true })).toBeVisible();
  await expect(grid.getByRole("link", { name: `Download original of ${heic.name}` })).toHaveAttribute("href", /\/object\/sign\/photos\//);
  await expect(grid.locator("img")).toHaveCount(1);
});
