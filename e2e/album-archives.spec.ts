import { saveScreenshot } from "./fixtures/artifacts.ts";
import { throttle } from "./fixtures/network.ts";
import { sessionOf } from "./fixtures/platform.ts";
import { expect, test } from "./fixtures/test.ts";
import { photoSet, zipOf } from "./fixtures/zips.ts";

const MiB = 1024 * 1024;

test.beforeEach(async ({ loginPage }) => {
  await loginPage.goto();
  await loginPage.continueAsGuest();
});

test("a zip already imported, dropped on the home page again, is recognised before anything is sent and offers its album", async ({ page, context, albumsPage, albumPage, files, probe, traffic }) => {
  const path = await files.write("Once.zip", await zipOf(photoSet(3)));
  const albumId = await albumsPage.upload(path, "Once.zip", 3);
  await albumPage.waitForAllDone({ added: 3, skipped: 0, failed: 0 });

  await albumsPage.goto();
  traffic.functionPosts.length = 0;
  traffic.albumInserts.length = 0;
  await albumsPage.choose(path);
  // Recognised from its fingerprint at pre-flight: there is nothing to press.
  const item = albumsPage.queueItem("Once.zip");
  await expect(item).toContainText("Already imported");
  await expect(item).toContainText("This zip is already in your albums");
  await expect(item).toContainText("It was imported into ‘Once’ before");
  await expect(item.getByRole("link", { name: "Open the album" })).toHaveAttribute("href", `/albums/${albumId}`);
  await expect(albumsPage.uploadButton).toBeDisabled();
  await saveScreenshot(page, "already-imported");
  expect(traffic.functionPosts, "not even its directory was sent").toEqual([]);
  expect(traffic.albumInserts, "no album was made for it").toEqual([]);
  const { userId } = await sessionOf(context);
  expect((await probe.albumsOf(userId)).map((a) => a.id), "no second album").toEqual([albumId]);
});

test("another zip dropped on a finished album adds its photos to it", async ({ page, albumsPage, albumPage, files, probe }) => {
  const first = await files.write("Saturday.zip", await zipOf(photoSet(2, { folder: "sat/" })));
  const second = await files.write("Sunday.zip", await zipOf(photoSet(3, { folder: "sun/" })));
  const albumId = await albumsPage.upload(first, "Saturday.zip", 2);
  await albumPage.waitForAllDone({ added: 2, skipped: 0, failed: 0 });

  await page.getByText("Add photos from another zip", { exact: true }).click();
  await albumsPage.choose(second);
  await albumsPage.expectReady("Sunday.zip", 3);
  await albumsPage.uploadButton.click();
  await albumPage.waitForAllDone({ added: 5, skipped: 0, failed: 0 });
  await expect.poll(async () => (await probe.album(albumId))?.status).toBe("ready");
  expect((await probe.entries(albumId)).filter((e) => e.status === "uploaded")).toHaveLength(5);
});

test("Cancel stops every part in flight and leaves the album waiting for the same zip; a different zip dropped there is refused from its directory", async ({ page, albumsPage, files, probe, traffic }) => {
  test.setTimeout(180_000);
  const big = await files.write("Unfinished.zip", await zipOf(photoSet(16, { width: 64, height: 48, padding: 1.5 * MiB })));
  const other = await files.write("Other.zip", await zipOf(photoSet(2)));
  await throttle(page, 16);
  const aborted: string[] = [];
  page.on("requestfailed", (request) => {
    if (request.url().includes("segment=")) aborted.push(request.failure()?.errorText ?? "");
  });
  const albumId = await albumsPage.upload(big, "Unfinished.zip", 16);
  await expect.poll(async () => (await probe.segments(albumId)).filter((s) => s.status === "done").length, { timeout: 60_000 }).toBeGreaterThan(0);

  await page.getByRole("button", { name: "Cancel upload" }).click();
  await expect(albumsPage.queueItem("Unfinished.zip")).toContainText("Upload cancelled");
  const postsAtCancel = traffic.functionPosts.length;
  expect(aborted.length, "the parts on the wire were aborted, not left to finish").toBeGreaterThan(0);
  await expect.poll(async () => (await probe.album(albumId))?.status).toBe("interrupted");
  expect((await probe.album(albumId))?.error).toBe("The upload was cancelled. Drop the same zip file on the album to continue.");
  await expect(page.getByText(/not yet received — drop ‘Unfinished\.zip’ again to continue\./)).toBeVisible({ timeout: 120_000 });
  await saveScreenshot(page, "upload-cancelled");
  expect(traffic.functionPosts.length, "nothing was sent after Cancel").toBe(postsAtCancel);

  traffic.functionPosts.length = 0;
  await albumsPage.choose(other);
  await albumsPage.expectReady("Other.zip", 2);
  await albumsPage.uploadButton.click();
  await expect(albumsPage.queueItem("Other.zip").getByRole("alert")).toContainText("This album is waiting for the rest of a different zip.");
  expect(traffic.functionPosts.filter((url) => url.includes("segment=")), "none of its data was sent").toEqual([]);
  expect((await probe.entries(albumId)).filter((e) => e.name.endsWith("IMG_0001.png") && e.status === "uploaded").length).toBeLessThanOrEqual(1);
});
