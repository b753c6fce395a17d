import { formatBytes } from "../supabase/functions/_shared/byte-size.ts";
import { expectAccessible } from "./fixtures/axe.ts";
import { exifJpeg } from "./fixtures/exif-jpeg.ts";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures/test.ts";
import { zipOf, type ZipItem } from "./fixtures/zips.ts";
import { expectFocusRingVisible } from "./pages/focus-ring.ts";
import { buildHeic, corruptHeic } from "../test/support/heic.ts";
import type { AlbumPage } from "./pages/album-page.ts";
import type { AlbumsPage } from "./pages/albums-page.ts";
import type { LoginPage } from "./pages/login-page.ts";
import type { TempFiles } from "./fixtures/test.ts";

/**
 * A trip over three days, in date order: a rotated photo from a Canon, one from a phone, one more, and
 * one with no EXIF at all, dated by its zip entry's modification time.
 */
async function trip(): Promise<(ZipItem & { base: string })[]> {
  return [
    { name: "Day 1/IMG_0001.jpg", base: "IMG_0001.jpg", data: await exifJpeg(640, 480, [200, 60, 40], { dateTimeOriginal: "2024:07:12 09:15:00", make: "Canon", model: "Canon EOS R5", orientation: 6 }) },
    { name: "Day 1/IMG_0002.jpg", base: "IMG_0002.jpg", data: await exifJpeg(640, 480, [40, 110, 200], { dateTimeOriginal: "2024:07:12 10:00:00", make: "Apple", model: "iPhone 15 Pro" }) },
    { name: "Day 2/IMG_0003.jpg", base: "IMG_0003.jpg", data: await exifJpeg(480, 640, [250, 200, 30], { dateTimeOriginal: "2024:07:13 11:30:00" }) },
    { name: "Day 2/IMG_0004.jpg", base: "IMG_0004.jpg", data: await exifJpeg(640, 480, [30, 150, 90]), modified: new Date("2024-07-14T08:00:00Z") },
  ];
}

/**
 * The archive names of photos whose screen-sized rendition (`resize:contain`, the lightbox's; tiles are
 * `cover`) the page has requested, read from the signed URL's token, where the transformation is sealed.
 */
function watchScreenRenditions(page: Page): string[] {
  const names: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    const token = url.searchParams.get("token");
    if (!url.pathname.includes("/storage/v1/render/image/sign/") || !token) return;
    const claims = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8")) as { url?: string; transformations?: string };
    if (!claims.transformations?.includes("resize:contain") || !claims.url) return;
    // The object key is <owner>/<album>/<name in the archive>.
    names.push(claims.url.split("/").slice(3).join("/"));
  });
  return names;
}

type Pages = { loginPage: LoginPage; albumsPage: AlbumsPage; albumPage: AlbumPage; files: TempFiles };

async function uploadTrip({ loginPage, albumsPage, albumPage, files }: Pages) {
  const photos = await trip();
  // Newest first in the zip: the grid (and so the lightbox) follows the dates, not the archive.
  const path = await files.write("Trip.zip", await zipOf([...photos].reverse()));
  await loginPage.goto();
  await loginPage.continueAsGuest();
  await albumsPage.choose(path);
  await albumsPage.startUpload();
  await albumPage.waitForAllDone({ added: photos.length, skipped: 0, failed: 0 });
  return photos;
}

test("the lightbox opens from a tile with the keyboard, steps with ← → Home End, describes the photo, keeps focus inside and gives it back to the tile", async ({ page, loginPage, albumsPage, albumPage, files }) => {
  const photos = await uploadTrip({ loginPage, albumsPage, albumPage, files });
  const total = photos.length;
  const lightbox = albumPage.lightbox;
  const showing = (n: number) => expect(lightbox.dialog).toHaveAccessibleName(`Photo ${n} of ${total}: ${photos[n - 1].base}`);
  const screenRenditions = watchScreenRenditions(page);

  // Reach the first tile from the keyboard: its focus ring shows, whole.
  const tile = albumPage.photoTile(photos[0].name);
  await tile.focus();
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Tab");
  await expectFocusRingVisible(page, tile);

  await page.keyboard.press("Enter");
  await expect(lightbox.dialog).toBeVisible();
  await lightbox.expectShowing(1, total, photos[0].base);
  // The next photo's screen-sized rendition is already fetched; the one after it is not.
  await expect.poll(() => screenRenditions.some((name) => name === photos[1].name)).toBe(true);
  expect(screenRenditions).not.toContain(photos[2].name);
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await showing(3);
  await page.keyboard.press("ArrowLeft");
  await showing(2);
  await page.keyboard.press("End");
  await showing(4);
  // At the last photo → stays put, and the Next button says it cannot go further.
  await page.keyboard.press("ArrowRight");
  await showing(4);
  await expect(lightbox.dialog.getByRole("button", { name: "Next photo" })).toHaveAttribute("aria-disabled", "true");
  await page.keyboard.press("Home");
  await showing(1);

  // Every control has a name, and Tab cycles through them without leaving the dialog.
  for (const name of ["Info", "Download original", "Close", "Previous photo", "Next photo"]) {
    await expect(lightbox.dialog.getByRole(name === "Download original" ? "link" : "button", { name, exact: true })).toBeVisible();
  }
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press(i % 3 === 2 ? "Shift+Tab" : "Tab");
    expect(await lightbox.dialog.evaluate((dialog) => dialog.contains(document.activeElement) && document.activeElement !== dialog), `focus inside the dialog after ${i + 1} presses`).toBe(true);
  }

  // `i` opens the info panel: what the camera wrote, the size as shown (turned upright), the archive path.
  await page.keyboard.press("i");
  await expect(lightbox.infoPanel).toBeVisible();
  await expect(lightbox.infoButton).toHaveAttribute("aria-expanded", "true");
  await expect(lightbox.info("Date taken")).toHaveText("12 Jul 2024, 09:15 (from the camera)");
  await expect(lightbox.info("Camera")).toHaveText("Canon EOS R5");
  await expect(lightbox.info("Pixel size")).toHaveText("480 × 640 px");
  await expect(lightbox.info("File size")).toHaveText(formatBytes(photos[0].data.length));
  await expect(lightbox.info("Path in the archive")).toHaveText("Day 1/IMG_0001.jpg");
  await expectAccessible(page, "lightbox with the info panel open");

  // The panel stays open while stepping, and follows the photo.
  await page.keyboard.press("ArrowRight");
  await showing(2);
  await expect(lightbox.info("Camera")).toHaveText("Apple iPhone 15 Pro");
  await expect(lightbox.info("Pixel size")).toHaveText("640 × 480 px");
  await page.keyboard.press("End");
  await showing(4);
  await expect(lightbox.info("Date taken")).toHaveText("14 Jul 2024, 08:00 (from the archive)");
  await expect(lightbox.info("Camera")).toHaveText("Unknown");
  await expect(lightbox.info("Path in the archive")).toHaveText("Day 2/IMG_0004.jpg");

  // The Info button closes it again.
  await lightbox.infoButton.click();
  await expect(lightbox.infoPanel).toBeHidden();
  await expect(lightbox.infoButton).toHaveAttribute("aria-expanded", "false");

  // Esc closes, and focus is back on the tile the lightbox was opened from.
  await page.keyboard.press("Home");
  await showing(1);
  await lightbox.close();
  await expect(tile).toBeFocused();

  // In selection mode the tile is a toggle with a check box and, once chosen, an inset ring: the
  // focus ring still shows whole, chosen or not.
  await page.getByRole("toolbar", { name: "Photo actions" }).getByRole("button", { name: "Select", exact: true }).click();
  const toggle = page.getByRole("list", { name: "Photos" }).getByRole("button", { name: `Select ${photos[0].name}`, exact: true });
  await toggle.focus();
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Tab");
  await expectFocusRingVisible(page, toggle);
  await page.keyboard.press("Space");
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await expectFocusRingVisible(page, toggle);
});

test("a tile that cannot show its photo keeps a whole focus ring, and so does its Download original link", async ({ page, loginPage, albumsPage, albumPage, files }) => {
  // Still a HEIC to the upload's sniffer, but nothing can decode it: the tile says so instead.
  const broken: ZipItem = { name: "iPhone/IMG_0103.HEIC", data: corruptHeic(await buildHeic({ width: 640, height: 480 })) };
  const path = await files.write("Broken.zip", await zipOf([broken, ...(await trip()).slice(0, 1)]));
  await loginPage.goto();
  await loginPage.continueAsGuest();
  await albumsPage.choose(path);
  await albumsPage.startUpload();
  await albumPage.waitForAllDone({ added: 2, skipped: 0, failed: 0 });

  const grid = page.getByRole("list", { name: "Photos" });
  const tile = grid.getByRole("button", { name: new RegExp(`^Open ${broken.name}: `) });
  await expect(tile.locator("img")).toHaveCount(0);
  await tile.focus();
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Tab");
  await expectFocusRingVisible(page, tile);
  const link = grid.getByRole("link", { name: "Download original of IMG_0103.HEIC" });
  await expect(link).toBeVisible();
  await page.keyboard.press("Tab");
  await expectFocusRingVisible(page, link);
});

test.describe("on a touch screen", () => {
  test.use({ hasTouch: true, viewport: { width: 390, height: 844 } });

  test("a swipe sideways steps through the photos, a short drag does nothing, a swipe down closes", async ({ loginPage, albumsPage, albumPage, files }) => {
    const photos = await uploadTrip({ loginPage, albumsPage, albumPage, files });
    const total = photos.length;
    const lightbox = albumPage.lightbox;
    const showing = (n: number) => lightbox.expectShowing(n, total, photos[n - 1].base);

    const tile = albumPage.photoTile(photos[0].name);
    await tile.scrollIntoViewIfNeeded();
    await tile.tap();
    await showing(1);

    await lightbox.swipe(-200, 10);
    await showing(2);
    await lightbox.swipe(-200, -15);
    await showing(3);
    await lightbox.swipe(200, 0);
    await showing(2);
    // Too short, or too diagonal, to be a swipe.
    await lightbox.swipe(-25, 0);
    await lightbox.swipe(-150, 140);
    await showing(2);
    // A swipe up is not a gesture; a swipe down closes.
    await lightbox.swipe(0, -200);
    await showing(2);
    await lightbox.swipe(0, 220);
    await expect(lightbox.dialog).toBeHidden();
  });

  test("the photo follows the finger, unless reduced motion is asked for", async ({ page, loginPage, albumsPage, albumPage, files }) => {
    const photos = await uploadTrip({ loginPage, albumsPage, albumPage, files });
    const lightbox = albumPage.lightbox;
    await albumPage.photoTile(photos[0].name).tap();
    await lightbox.expectShowing(1, photos.length, photos[0].base);
    const image = lightbox.dialog.getByRole("img");
    const shift = () => image.evaluate((img) => new DOMMatrix(getComputedStyle(img).transform).m41);

    let lift = await lightbox.drag(-120, 0);
    await expect.poll(shift).toBeLessThan(-100);
    await lift();
    await lightbox.expectShowing(2, photos.length, photos[1].base);

    await page.emulateMedia({ reducedMotion: "reduce" });
    lift = await lightbox.drag(-120, 0);
    // Two frames: time enough for a followed drag to have been painted.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    expect(await shift()).toBe(0);
    await lift();
    // The swipe itself still works: only the movement is left out.
    await lightbox.expectShowing(3, photos.length, photos[2].base);
  });
});
