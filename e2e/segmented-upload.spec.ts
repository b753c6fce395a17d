import type { Page } from "@playwright/test";
import { saveScreenshot } from "./fixtures/artifacts.ts";
import { throttle } from "./fixtures/network.ts";
import { sessionOf } from "./fixtures/platform.ts";
import { expect, test } from "./fixtures/test.ts";
import { photoSet, zipOf } from "./fixtures/zips.ts";

const MiB = 1024 * 1024;
/**
 * Photos padded to ~1.5 MiB each: 16 make a 24 MiB zip, twice what one worker's /tmp holds on the
 * end-to-end platform (12 MiB, e2e/functions.env), so no single request could take it.
 */
const PHOTOS = 16;
const bigZip = async () => zipOf(photoSet(PHOTOS, { width: 64, height: 48, padding: 1.5 * MiB }));

/** The segment indexes the page sent (from the function POSTs it made). */
const segmentsSent = (posts: string[]) => posts.map((url) => new URL(url).searchParams.get("segment")).filter((s): s is string => s !== null).map(Number);

/** The upload panel's count of parts the server holds ("3 of 8 parts received"). */
const partsText = (page: Page) => page.getByText(/^[\d,]+ of [\d,]+ parts received$/);

test("a zip larger than one invocation takes uploads in one drop at 40 Mbit/s, counted over all its parts", async ({ page, loginPage, albumsPage, albumPage, files, probe, traffic }) => {
  test.setTimeout(240_000);
  const bytes = await bigZip();
  const figures = await probe.functionLimits();
  expect(figures.tmpBytes, "the archive is larger than one worker's /tmp").toBeLessThan(bytes.length);
  const path = await files.write("Big_trip.zip", bytes);
  await throttle(page, 40);

  // Recorded from the first page on: the album page is reached without a new page load.
  await albumPage.recordProgress();
  await loginPage.goto();
  await loginPage.continueAsGuest();
  const albumId = await albumsPage.upload(path, "Big_trip.zip", PHOTOS);

  // On the album's page while later parts are still on the wire: the upload's own progress is there.
  await expect(partsText(page)).toBeVisible();
  await saveScreenshot(page, "segmented-upload-progress");
  await albumPage.waitForAllDone({ added: PHOTOS, skipped: 0, failed: 0 }, 180_000);
  await expect.poll(async () => (await probe.album(albumId))?.status).toBe("ready");

  const segments = await probe.segments(albumId);
  expect(segments.length, "the archive was planned in several parts").toBeGreaterThan(1);
  expect(segments.every((s) => s.status === "done")).toBe(true);
  const sent = segmentsSent(traffic.functionPosts);
  expect([...new Set(sent)].sort((a, b) => a - b)).toEqual(segments.map((s) => s.idx));
  expect(sent.length, "no part was sent twice").toBe(segments.length);
  // Photos appeared while the archive was still arriving, not all at the end.
  const history = await albumPage.recordedProgress();
  expect(history.some((s) => s.done > 0 && s.done < PHOTOS)).toBe(true);
});

test("after a reload mid-upload, dropping the same zip again sends only the missing parts and finishes the album", async ({ page, loginPage, albumsPage, albumPage, files, probe, traffic }) => {
  test.setTimeout(300_000);
  const path = await files.write("Reloaded.zip", await bigZip());
  await throttle(page, 16);
  // Leaving mid-upload asks first; this person says yes.
  const asked: string[] = [];
  page.on("dialog", (dialog) => {
    asked.push(dialog.type());
    void dialog.accept();
  });

  await loginPage.goto();
  await loginPage.continueAsGuest();
  const albumId = await albumsPage.upload(path, "Reloaded.zip", PHOTOS);
  await expect.poll(async () => (await probe.segments(albumId)).filter((s) => s.status === "done").length, { timeout: 60_000 }).toBeGreaterThan(0);
  await page.reload();
  expect(asked, "the page asked before leaving an upload under way").toEqual(["beforeunload"]);

  // The tab that was sending is gone: the album says what it lacks and which zip to drop.
  await expect(page.getByText(/[\d,]+ of [\d,]+ parts not yet received — drop ‘Reloaded\.zip’ again to continue\./)).toBeVisible({ timeout: 200_000 });
  await saveScreenshot(page, "segmented-upload-missing-parts");
  // Left, not failed: what arrived is kept and the same zip continues it.
  expect(await probe.album(albumId)).toMatchObject({ status: "interrupted", error: "The upload stopped when its page was closed. Drop the same zip file on the album to continue." });
  const before = await probe.segments(albumId);
  const doneBefore = new Set(before.filter((s) => s.status === "done").map((s) => s.idx));
  expect(doneBefore.size).toBeLessThan(before.length);
  traffic.functionPosts.length = 0;

  await albumsPage.choose(path);
  await expect(albumsPage.queueItem("Reloaded.zip")).toContainText("Ready to upload");
  await albumsPage.uploadButton.click();
  await albumPage.waitForAllDone({ added: PHOTOS, skipped: 0, failed: 0 }, 180_000);
  await expect.poll(async () => (await probe.album(albumId))?.status).toBe("ready");
  const resent = segmentsSent(traffic.functionPosts);
  expect(resent.length).toBeGreaterThan(0);
  expect(resent.filter((i) => doneBefore.has(i)), "parts the server already held were not sent again").toEqual([]);
});

test("moving to another album in the middle of an upload keeps it going", async ({ page, loginPage, albumsPage, albumPage, files, probe }) => {
  test.setTimeout(240_000);
  const small = await files.write("Weekend.zip", await zipOf(photoSet(2)));
  const big = await files.write("Long_trip.zip", await bigZip());
  await throttle(page, 16);

  await loginPage.goto();
  await loginPage.continueAsGuest();
  await albumsPage.upload(small, "Weekend.zip", 2);
  await albumPage.waitForAllDone({ added: 2, skipped: 0, failed: 0 });
  await albumsPage.goto();
  const bigId = await albumsPage.upload(big, "Long_trip.zip", PHOTOS);
  await expect(partsText(page)).toBeVisible();

  // Away to the other album while the big one is still being sent.
  await page.getByRole("link", { name: "← All albums" }).click();
  await albumsPage.albumLink("Weekend").click();
  await expect(albumPage.heading("Weekend")).toBeVisible();
  expect((await probe.segments(bigId)).some((s) => s.status !== "done"), "the upload was still under way").toBe(true);

  await expect.poll(async () => (await probe.album(bigId))?.status, { timeout: 180_000 }).toBe("ready");
  expect(await probe.album(bigId)).toMatchObject({ entries_total: PHOTOS, uploaded: PHOTOS, skipped: 0, failed: 0 });
});

test("after a reload mid-upload, the same zip dropped on the home page goes to its album and sends only the missing parts", async ({ page, context, loginPage, albumsPage, albumPage, files, probe, traffic }) => {
  test.setTimeout(300_000);
  const path = await files.write("Home_again.zip", await bigZip());
  await throttle(page, 16);
  page.on("dialog", (dialog) => void dialog.accept());

  await loginPage.goto();
  await loginPage.continueAsGuest();
  const albumId = await albumsPage.upload(path, "Home_again.zip", PHOTOS);
  await expect.poll(async () => (await probe.segments(albumId)).filter((s) => s.status === "done").length, { timeout: 60_000 }).toBeGreaterThan(0);
  await page.reload();
  await expect(page.getByText(/not yet received — drop ‘Home_again\.zip’ again to continue\./)).toBeVisible({ timeout: 200_000 });
  const doneBefore = new Set((await probe.segments(albumId)).filter((s) => s.status === "done").map((s) => s.idx));
  traffic.functionPosts.length = 0;
  traffic.albumInserts.length = 0;

  // Dropped on the home page, the zip is recognised by its fingerprint before anything is sent: its own album continues.
  await albumsPage.goto();
  await albumsPage.choose(path);
  await albumsPage.expectReady("Home_again.zip", PHOTOS);
  await expect(albumsPage.queueItem("Home_again.zip")).toContainText("Continues the album ‘Home again’");
  await albumsPage.startUpload();
  expect(page.url()).toContain(`/albums/${albumId}`);
  expect(traffic.albumInserts, "no album was made for it, not even for a moment").toEqual([]);
  await albumPage.waitForAllDone({ added: PHOTOS, skipped: 0, failed: 0 }, 180_000);
  await expect.poll(async () => (await probe.album(albumId))?.status).toBe("ready");
  const resent = segmentsSent(traffic.functionPosts);
  expect(resent.length).toBeGreaterThan(0);
  expect(resent.filter((i) => doneBefore.has(i)), "parts the server already held were not sent again").toEqual([]);
  const { userId } = await sessionOf(context);
  expect((await probe.albumsOf(userId)).map((a) => a.id), "no second album was left behind").toEqual([albumId]);
});
