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

test("a zip already imported, dropped on the home page again, offers its album instead of making a second one", async ({ page, context, albumsPage, albumPage, files, probe }) => {
  const path = await files.write("Once.zip", await zipOf(photoSet(3)));
  const albumId = await albumsPage.upload(path, "Once.zip", 3);
  await albumPage.waitForAllDone({ added: 3, skipped: 0, failed: 0 });

  await albumsPage.goto();
  await albumsPage.choose(path);
  await albumsPage.expectReady("Once.zip", 3);
  await albumsPage.uploadButton.click();
  const item = page.getByRole("listitem").filter({ hasText: "Already imported" });
  await expect(item).toContainText("This zip is already in your albums");
  await expect(item.getByRole("link", { name: "Open the album" })).toHaveAttribute("href", `/albums/${albumId}`);
  await saveScreenshot(page, "already-imported");
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

test("a different zip dropped on an album waiting for the rest of its own is refused from its directory", async ({ page, albumsPage, files, probe, traffic }) => {
  test.setTimeout(180_000);
  const big = await files.write("Unfinished.zip", await zipOf(photoSet(16, { width: 64, height: 48, padding: 1.5 * MiB })));
  const other = await files.write("Other.zip", await zipOf(photoSet(2)));
  await throttle(page, 16);
  page.on("dialog", (dialog) => void dialog.accept());
  const albumId = await albumsPage.upload(big, "Unfinished.zip", 16);
  await expect.poll(async () => (await probe.segments(albumId)).filter((s) => s.status === "done").length, { timeout: 60_000 }).toBeGreaterThan(0);
  await page.reload();
  await expect(page.getByText(/not yet received — drop ‘Unfinished\.zip’ again to continue\./)).toBeVisible({ timeout: 120_000 });

  traffic.functionPosts.length = 0;
  await albumsPage.choose(other);
  await albumsPage.expectReady("Other.zip", 2);
  await albumsPage.uploadButton.click();
  await expect(albumsPage.queueItem("Other.zip").getByRole("alert")).toContainText("This album is waiting for the rest of a different zip.");
  expect(traffic.functionPosts.filter((url) => url.includes("segment=")), "none of its data was sent").toEqual([]);
  expect((await probe.entries(albumId)).filter((e) => e.name.endsWith("IMG_0001.png") && e.status === "uploaded").length).toBeLessThanOrEqual(1);
});
