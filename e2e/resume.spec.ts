import { saveScreenshot } from "./fixtures/artifacts.ts";
import { expect, test } from "./fixtures/test.ts";
import { photoSet, zipOf } from "./fixtures/zips.ts";
import { expectImageLoaded } from "./pages/images.ts";

/**
 * Enough entries that extraction runs for several seconds: each costs a Storage upload and a row
 * (~10 ms of wall clock here, more on a busy machine). The function's segment plan keeps each
 * invocation within its CPU budget (docs/architecture.md#limits), so the album is not cut short by it.
 */
const PHOTOS = 300;

test("reloading the album in the middle of extraction resumes the live view", async ({ page, loginPage, albumsPage, albumPage, files, probe }) => {
  test.setTimeout(120_000);
  const path = await files.write("Three_hundred.zip", await zipOf(photoSet(PHOTOS, { width: 32, height: 24 })));

  await loginPage.goto();
  await loginPage.continueAsGuest();
  const albumId = await albumsPage.upload(path, "Three_hundred.zip", PHOTOS);

  // The first photo lands while the rest are still being extracted; reload right then.
  await expect.poll(async () => (await probe.album(albumId))?.uploaded ?? 0, { intervals: [100] }).toBeGreaterThan(0);
  await saveScreenshot(page, "live-progress");
  await albumPage.recordProgress();
  const before = await probe.album(albumId);
  expect(before?.status, "the reload must happen mid-extraction").toBe("extracting");
  await page.reload();

  await expect(albumPage.heading("Three hundred")).toBeVisible();
  await albumPage.waitForAllDone({ added: PHOTOS, skipped: 0, failed: 0 }, 90_000);
  await expectImageLoaded(albumPage.tileImage(albumPage.photoTiles.first()));
  expect(await probe.album(albumId)).toMatchObject({ status: "ready", entries_total: PHOTOS, uploaded: PHOTOS, skipped: 0, failed: 0 });

  // What the reloaded page showed, in order: a part-done album, live updates while it filled, then all.
  const history = await albumPage.recordedProgress();
  expect(history[0]?.done, "first paint after the reload").toBeLessThan(PHOTOS);
  expect(history.some((s) => s.live && s.done < PHOTOS), "joined the channel while photos were still arriving").toBe(true);
  expect(history.at(-1)).toMatchObject({ done: PHOTOS, total: PHOTOS });
});
