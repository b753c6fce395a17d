import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { Uint8ArrayReader, Uint8ArrayWriter, ZipReader } from "@zip.js/zip.js";
import { expect, test } from "./fixtures/test.ts";
import { expectAccessible } from "./fixtures/axe.ts";
import { saveScreenshot } from "./fixtures/artifacts.ts";
import { photoSet, zipOf, type Photo } from "./fixtures/zips.ts";

// Managing what was imported (docs/architecture.md#deleting-photos, docs/architecture.md#downloading-photos-as-a-zip):
// select with click and shift-click, delete after a confirmation, download as a zip — streamed into a real
// file (an Origin Private File System handle stands in for the save picker's choice) and, without the
// picker, as one Blob download — and check that each zip holds the very bytes of the originals.

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Two folders, two days: the grid shows them in this order (by the zip entries' times). */
function tripPhotos(): Photo[] {
  const day = (folder: string, date: string) =>
    photoSet(3, { folder, width: 120, height: 96 }).map((photo, i) => ({ ...photo, modified: new Date(`${date}T10:0${i}:00Z`) }));
  return [...day("Day 1/", "2024-07-12"), ...day("Day 2/", "2024-07-13")];
}

/** Each entry of a zip, name → sha-256 of its bytes (zip.js reads it, checking CRCs). */
async function zipContents(bytes: Uint8Array): Promise<Map<string, string>> {
  const reader = new ZipReader(new Uint8ArrayReader(bytes), { useWebWorkers: false });
  const contents = new Map<string, string>();
  for (const entry of await reader.getEntries()) {
    if (!entry.directory) contents.set(entry.filename, sha(await entry.getData!(new Uint8ArrayWriter(), { checkSignature: true })));
  }
  await reader.close();
  return contents;
}

const originals = (photos: readonly Photo[]) => new Map(photos.map((photo) => [photo.name, sha(photo.data)]));

/** The save picker answers with a file in the page's Origin Private File System, where the test reads it. */
async function pickerIntoPrivateFileSystem(page: Page): Promise<void> {
  await page.addInitScript(() => {
    (window as unknown as { showSaveFilePicker: () => Promise<FileSystemFileHandle> }).showSaveFilePicker = async () =>
      (await navigator.storage.getDirectory()).getFileHandle("album.zip", { create: true });
  });
}

async function readPrivateFile(page: Page): Promise<Uint8Array> {
  const base64 = await page.evaluate(async () => {
    const file = await (await (await navigator.storage.getDirectory()).getFileHandle("album.zip")).getFile();
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  });
  return new Uint8Array(Buffer.from(base64, "base64"));
}

test("select with click and shift-click, delete with a confirmation, then download the album as a zip of the originals", async ({ page, loginPage, albumsPage, albumPage, files }) => {
  const photos = tripPhotos();
  await pickerIntoPrivateFileSystem(page);
  await loginPage.goto();
  await loginPage.continueAsGuest();
  await albumsPage.choose(await files.write("Trip.zip", await zipOf(photos)));
  await albumsPage.startUpload();
  await albumPage.waitForAllDone({ added: 6, skipped: 0, failed: 0 });

  const grid = page.getByRole("list", { name: "Photos" });
  const toolbar = page.getByRole("toolbar", { name: "Photo actions" });
  const tile = (photo: Photo) => grid.getByRole("button", { name: `Select ${photo.name}`, exact: true });
  await toolbar.getByRole("button", { name: "Select", exact: true }).click();
  await expect(toolbar.getByText("No photos selected")).toBeVisible();
  await expectAccessible(page, "album in selection mode");

  // Click the second photo, shift-click the fourth: the three between them in date order (across the days).
  await tile(photos[1]).click();
  await tile(photos[3]).click({ modifiers: ["Shift"] });
  await expect(toolbar.getByText("3 selected")).toBeVisible();
  for (const [i, photo] of photos.entries()) await expect(tile(photo)).toHaveAttribute("aria-pressed", String(i >= 1 && i <= 3));
  // Space toggles the focused tile.
  await tile(photos[5]).focus();
  await page.keyboard.press("Space");
  await expect(toolbar.getByText("4 selected")).toBeVisible();
  await page.keyboard.press("Space");
  await expect(toolbar.getByText("3 selected")).toBeVisible();
  await expectAccessible(page, "album with photos selected");
  await saveScreenshot(page, "album-selection");

  await toolbar.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete 3 photos?" });
  await expect(dialog).toBeVisible();
  await expectAccessible(page, "delete confirmation");
  await saveScreenshot(page, "album-delete-confirmation", { viewport: true });
  await dialog.getByRole("button", { name: "Delete 3 photos" }).click();
  await expect(dialog).toBeHidden();
  const kept = [photos[0], photos[4], photos[5]];
  await expect(albumPage.photoTiles).toHaveCount(3);
  for (const photo of kept) await expect(albumPage.photoTile(photo.name)).toBeVisible();
  await albumPage.expectCounts({ added: 3, skipped: 0, failed: 0, waiting: 0 });

  await page.reload();
  await expect(albumPage.photoTiles).toHaveCount(3);
  for (const photo of kept) await expect(albumPage.photoTile(photo.name)).toBeVisible();
  await albumPage.expectCounts({ added: 3, skipped: 0, failed: 0, waiting: 0 });

  // Ctrl+A selects all; the selection downloads as a zip streamed into the picked file.
  await toolbar.getByRole("button", { name: "Select", exact: true }).click();
  await tile(kept[0]).focus();
  await page.keyboard.press("Control+a");
  await expect(toolbar.getByText("3 selected")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(toolbar.getByRole("button", { name: "Select", exact: true })).toBeVisible();
  await toolbar.getByRole("button", { name: "Select", exact: true }).click();
  await toolbar.getByRole("button", { name: "Select all" }).click();
  await expect(toolbar.getByText("3 selected")).toBeVisible();
  await toolbar.getByRole("button", { name: "Download zip" }).click();
  await expect(page.getByText("Zip saved")).toBeVisible();
  await expect(page.getByText("3 photos", { exact: false }).filter({ hasText: "written to the file you chose" })).toBeVisible();
  expect(await zipContents(await readPrivateFile(page))).toEqual(originals(kept));
});

test("without a save picker the album downloads as one zip through the browser's downloads", async ({ page, loginPage, albumsPage, albumPage, files }) => {
  const photos = tripPhotos();
  await page.addInitScript(() => {
    (window as unknown as { showSaveFilePicker?: unknown }).showSaveFilePicker = undefined;
  });
  await loginPage.goto();
  await loginPage.continueAsGuest();
  await albumsPage.choose(await files.write("Trip two.zip", await zipOf(photos)));
  await albumsPage.startUpload();
  await albumPage.waitForAllDone({ added: 6, skipped: 0, failed: 0 });

  await expect(page.getByText("for very large albums use a Chromium-based browser")).toBeVisible();
  // Keyboard: Space selects the focused photo, Shift+Arrow extends the selection, Esc leaves selection mode.
  const toolbar = page.getByRole("toolbar", { name: "Photo actions" });
  await toolbar.getByRole("button", { name: "Select", exact: true }).click();
  const grid = page.getByRole("list", { name: "Photos" });
  await grid.getByRole("button", { name: `Select ${photos[0].name}`, exact: true }).focus();
  await page.keyboard.press("Space");
  await page.keyboard.press("Shift+ArrowRight");
  await expect(toolbar.getByText("2 selected")).toBeVisible();
  await expect(grid.getByRole("button", { name: `Select ${photos[1].name}`, exact: true })).toHaveAttribute("aria-pressed", "true");
  await expect(grid.getByRole("button", { name: `Select ${photos[1].name}`, exact: true })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(albumPage.photoTiles).toHaveCount(6);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("toolbar", { name: "Photo actions" }).getByRole("button", { name: "Download album" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.zip$/);
  const bytes = new Uint8Array(await readFile((await download.path())!));
  expect(await zipContents(bytes)).toEqual(originals(photos));
  await expect(page.getByText("are in your downloads")).toBeVisible();
});

test("Download original saves a photo whose name has spaces, accents and parentheses under that very name", async ({ page, loginPage, albumsPage, albumPage, files }) => {
  const [photo] = photoSet(1, { width: 96, height: 64 }).map((p) => ({ ...p, name: "Day 1/Été à Zürich (2).png" }));
  await loginPage.goto();
  await loginPage.continueAsGuest();
  await albumsPage.choose(await files.write("Names.zip", await zipOf([photo])));
  await albumsPage.startUpload();
  await albumPage.waitForAllDone({ added: 1, skipped: 0, failed: 0 });
  const lightbox = await albumPage.openLightbox(photo.name);
  const [download] = await Promise.all([page.waitForEvent("download"), lightbox.dialog.getByRole("link", { name: "Download original" }).click()]);
  expect(download.suggestedFilename()).toBe("Été à Zürich (2).png");
  expect(sha(new Uint8Array(await readFile((await download.path())!)))).toBe(sha(photo.data));
});
