import { expect, test, type Fixtures } from "./fixtures/test.ts";
import { exifJpeg } from "./fixtures/exif-jpeg.ts";
import { zipOf, type ZipItem } from "./fixtures/zips.ts";
import { expectAccessible } from "./fixtures/axe.ts";
import { serviceClient, sessionOf } from "./fixtures/platform.ts";
import type { Page } from "@playwright/test";

// Dates are shown in the browser's locale; pin it so headings read the same on every machine.
test.use({ locale: "en-GB" });

/** Photos over three days in two folders, zipped deliberately out of date order. */
const TRIP = [
  { name: "Day 2/IMG_0006.jpg", taken: "2024:07:14 17:45:00" },
  { name: "Day 1/IMG_0002.jpg", taken: "2024:07:12 18:00:00" },
  { name: "Day 2/IMG_0004.jpg", taken: "2024:07:13 20:00:00" },
  { name: "Day 2/IMG_0005.jpg", taken: "2024:07:14 09:00:00" },
  { name: "Day 1/IMG_0001.jpg", taken: "2024:07:12 08:00:00" },
  { name: "Day 2/IMG_0003.jpg", taken: "2024:07:13 07:30:00" },
];

async function tripZip(): Promise<Uint8Array> {
  const items: ZipItem[] = await Promise.all(TRIP.map(async (photo, i) => ({
    name: photo.name,
    data: await exifJpeg(320, 240, [40 * i, 120, 200 - 30 * i], { dateTimeOriginal: photo.taken, make: "FUJIFILM", model: "X100V" }),
    level: 0,
  })));
  return zipOf(items);
}

/** The grid as read from top to bottom: day headings ("# …") and tiles (their photo's path). */
/** Signs in as a guest and uploads the trip; answers with its album's id once every photo is in. */
async function uploadTrip({ loginPage, albumsPage, albumPage, files }: Pick<Fixtures, "loginPage" | "albumsPage" | "albumPage" | "files">): Promise<string> {
  const path = await files.write("Trip.zip", await tripZip());
  await loginPage.goto();
  await loginPage.continueAsGuest();
  await albumsPage.choose(path);
  const albumId = await albumsPage.startUpload();
  await albumPage.waitForAllDone({ added: TRIP.length, skipped: 0, failed: 0 });
  return albumId;
}

async function gridReading(page: Page): Promise<string[]> {
  return page.getByRole("list", { name: "Photos" }).evaluate((list) => {
    const items = Array.from(list.children).map((li) => {
      const heading = li.querySelector("h3");
      const top = li.getBoundingClientRect().top;
      const text = heading ? `# ${heading.textContent}` : (li.querySelector("button")?.getAttribute("aria-label") ?? "").replace(/^Open /, "");
      const left = li.getBoundingClientRect().left;
      return { text, top, left };
    });
    // Rows are absolutely placed: read them as a person would, top to bottom, left to right.
    items.sort((a, b) => a.top - b.top || a.left - b.left);
    return items.map((i) => i.text);
  });
}

test("the grid reads by day in date order, shows the album's date span, and filters by folder across a reload", async ({ page, loginPage, albumsPage, albumPage, files, probe }) => {
  // Tall enough for all three days at once: the grid renders only the rows near the screen.
  await page.setViewportSize({ width: 1280, height: 1800 });
  const albumId = await uploadTrip({ loginPage, albumsPage, albumPage, files });

  // Day sections in date order, each photo in its day in time order, whatever the zip's order.
  await expect.poll(() => gridReading(page)).toEqual([
    expect.stringMatching(/^# Friday,? 12 July 2024$/), "Day 1/IMG_0001.jpg", "Day 1/IMG_0002.jpg",
    expect.stringMatching(/^# Saturday,? 13 July 2024$/), "Day 2/IMG_0003.jpg", "Day 2/IMG_0004.jpg",
    expect.stringMatching(/^# Sunday,? 14 July 2024$/), "Day 2/IMG_0005.jpg", "Day 2/IMG_0006.jpg",
  ]);
  // Every tile is a rendition, never the original.
  const images = page.getByRole("list", { name: "Photos" }).locator("img");
  await expect(images).toHaveCount(TRIP.length);
  for (const src of await images.evaluateAll((imgs) => imgs.map((img) => img.getAttribute("src")))) {
    expect(src).toMatch(/\/storage\/v1\/render\/image\/sign\/photos\//);
  }

  // The lightbox steps through the photos in the same order.
  const lightbox = await albumPage.openLightbox("Day 1/IMG_0002.jpg");
  await expect(lightbox.dialog).toHaveAccessibleName("Photo 2 of 6: IMG_0002.jpg");
  await page.keyboard.press("ArrowRight");
  await expect(lightbox.dialog).toHaveAccessibleName("Photo 3 of 6: IMG_0003.jpg");
  await page.keyboard.press("Escape");

  // The header names the span of the photos' dates (read once extraction ended: a reload).
  await page.reload();
  await expect(page.getByText(/^Taken /)).toHaveText(/^Taken 12\s*–\s*14 Jul 2024$/);

  // Folders as a filter, with counts, reachable by keyboard; the choice lives in the URL.
  const folders = page.getByRole("group", { name: "Folders" });
  await expect(folders.getByRole("button")).toHaveText([/^All\s*6/, /^Day 1\s*2/, /^Day 2\s*4/]);
  await expect(folders.getByRole("button", { name: /^All/ })).toHaveAttribute("aria-pressed", "true");
  await expectAccessible(page, "album timeline");
  await folders.getByRole("button", { name: /^Day 1/ }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\?folder=Day%201$/);
  await expect(albumPage.photoTiles).toHaveCount(2);
  await expect.poll(() => gridReading(page)).toEqual([expect.stringMatching(/^# Friday,? 12 July 2024$/), "Day 1/IMG_0001.jpg", "Day 1/IMG_0002.jpg"]);
  await page.reload();
  await expect(page.getByRole("group", { name: "Folders" }).getByRole("button", { name: /^Day 1/ })).toHaveAttribute("aria-pressed", "true");
  await expect(albumPage.photoTiles).toHaveCount(2);
  await page.getByRole("group", { name: "Folders" }).getByRole("button", { name: /^All/ }).click();
  await expect(albumPage.photoTiles).toHaveCount(TRIP.length);
  await expect(page).not.toHaveURL(/folder=/);

  // The home page's card shows the span too, and its cover is the first photo taken (fifth in the zip).
  await page.goto("/");
  const card = page.getByRole("list", { name: "Albums" }).getByRole("listitem").first();
  await expect(card).toContainText(/6 photos · 12\s*–\s*14 Jul 2024/);
  const firstTaken = (await probe.entries(albumId)).find((row) => row.name === "Day 1/IMG_0001.jpg")?.path;
  expect(firstTaken).toBeTruthy();
  const cover = await card.locator("img").getAttribute("src");
  expect(decodeURIComponent(new URL(cover!).pathname)).toContain(`/render/image/sign/photos/${firstTaken}`);
});

test("arrow keys move between tiles, across days, and a tile keeps a visible focus ring", async ({ page, loginPage, albumsPage, albumPage, files }) => {
  await uploadTrip({ loginPage, albumsPage, albumPage, files });

  await albumPage.photoTile("Day 1/IMG_0001.jpg").focus();
  await page.keyboard.press("ArrowRight");
  await expect(albumPage.photoTile("Day 1/IMG_0002.jpg")).toBeFocused();
  await page.keyboard.press("ArrowDown"); // the next row is the next day's, past its heading
  await expect(albumPage.photoTile("Day 2/IMG_0004.jpg")).toBeFocused();
  await page.keyboard.press("ArrowLeft");
  await expect(albumPage.photoTile("Day 2/IMG_0003.jpg")).toBeFocused();
  await page.keyboard.press("ArrowUp");
  await expect(albumPage.photoTile("Day 1/IMG_0001.jpg")).toBeFocused();
  // Tab goes on to the next tile, across a day heading too.
  await page.keyboard.press("Tab");
  await expect(albumPage.photoTile("Day 1/IMG_0002.jpg")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(albumPage.photoTile("Day 2/IMG_0003.jpg")).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  // Focused by keyboard, the tile's outline is drawn, on a button that does not clip what it draws.
  const style = await albumPage.photoTile("Day 1/IMG_0002.jpg").evaluate((el) => ({ outline: getComputedStyle(el).outlineStyle, overflow: getComputedStyle(el).overflow }));
  expect(style).toEqual({ outline: "solid", overflow: "visible" });
});

/**
 * Rows of a big album written straight into the database. Paths are unique per album, so each row has
 * its own key; only the first and last rows by date have an object behind them (signing the others
 * fails and their tiles stay grey), which is all the screens this test looks at can show.
 */
const BIG = 10_000;
const REAL_AT_EACH_END = 200;

test("a 10,000-photo album renders and signs only the tiles on screen", async ({ page, context, loginPage, albumsPage, albumPage, files }) => {
  test.setTimeout(240_000);
  const albumId = await uploadTrip({ loginPage, albumsPage, albumPage, files });

  const { userId } = await sessionOf(context);
  const admin = serviceClient();
  const bytes = await exifJpeg(64, 64, [90, 140, 60]);
  const keyOf = (i: number) => `${userId}/${albumId}/big/IMG_${i}.jpg`;
  const real = [...Array(REAL_AT_EACH_END).keys()].flatMap((i) => [keyOf(i), keyOf(BIG - 1 - i)]);
  for (let i = 0; i < real.length; i += 20) {
    await Promise.all(real.slice(i, i + 20).map(async (key) => {
      const { error } = await admin.storage.from("photos").upload(key, bytes, { contentType: "image/jpeg" });
      if (error) throw new Error(`upload ${key}: ${error.message}`);
    }));
  }
  // One photo a minute from 1 June 2024: a week of days, in archive order.
  const start = Date.parse("2024-06-01T00:00:00Z");
  for (let from = 0; from < BIG; from += 1000) {
    const rows = Array.from({ length: Math.min(1000, BIG - from) }, (_, n) => {
      const i = from + n;
      return {
        album_id: albumId, idx: TRIP.length + i, name: `Big/IMG_${i}.jpg`, path: keyOf(i), size: bytes.length,
        status: "uploaded", taken_at: new Date(start + i * 60_000).toISOString(),
      };
    });
    const { error } = await admin.from("album_entries").insert(rows);
    if (error) throw new Error(`insert rows from ${from}: ${error.message}`);
  }

  const signed: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/storage/v1/object/sign/photos/")) signed.push(request.url());
  });
  await page.reload();
  const list = page.getByRole("list", { name: "Photos" });
  await expect(list.getByRole("heading", { level: 3 }).first()).toHaveText(/1 June 2024/);
  await expect(list.locator("img").first()).toHaveAttribute("src", /\/render\/image\/sign\//);
  // Give any further signing a moment to start: nothing more should come.
  await page.waitForTimeout(1500);
  const images = await list.locator("img").count();
  expect(images).toBeGreaterThan(0);
  expect(images).toBeLessThanOrEqual(200);
  expect(signed.length).toBeGreaterThan(0);
  expect(signed.length).toBeLessThanOrEqual(200);
  expect(await list.getByRole("button").count()).toBeLessThanOrEqual(200);
  test.info().annotations.push({ type: "first screen", description: `${images} images, ${signed.length} URLs signed of ${BIG + TRIP.length} photos` });

  // Jump to the end (the trip, taken after the big album's week): its photos are rendered, still only
  // a screenful of tiles, and signing stays bounded.
  const before = signed.length;
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const last = albumPage.photoTile("Day 2/IMG_0006.jpg");
  await expect(last).toBeVisible();
  await expect(albumPage.tileImage(last)).toHaveAttribute("src", /\/render\/image\/sign\//);
  await page.waitForTimeout(1500);
  const imagesAtEnd = await list.locator("img").count();
  expect(imagesAtEnd).toBeLessThanOrEqual(200);
  expect(signed.length - before).toBeLessThanOrEqual(200);
  test.info().annotations.push({ type: "after jumping to the end", description: `${imagesAtEnd} images, ${signed.length - before} more URLs signed` });
});
