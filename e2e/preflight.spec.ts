import { saveScreenshot } from "./fixtures/artifacts.ts";
import { sessionOf } from "./fixtures/platform.ts";
import { formatBytes } from "../lib/format.ts";
import { expect, test } from "./fixtures/test.ts";
import { notAZip, photoSet, zipOf } from "./fixtures/zips.ts";

const MiB = 1024 * 1024;

test.beforeEach(async ({ loginPage }) => {
  await loginPage.goto();
  await loginPage.continueAsGuest();
});

/** Refused means: the reason on screen, no way to start, no album row, and nothing sent to the function. */
test.afterEach(async ({ page, albumsPage, traffic, probe }) => {
  await expect(albumsPage.uploadButton).toBeDisabled();
  expect(traffic.albumInserts, "album rows requested").toEqual([]);
  expect(traffic.functionPosts, "uploads sent to album-upload").toEqual([]);
  const { userId } = await sessionOf(page.context());
  expect(await probe.albumsOf(userId)).toEqual([]);
});

test("a file that is not a zip is refused before upload", async ({ page, albumsPage, files }) => {
  const path = await files.write("holiday-photos.zip", notAZip());
  await albumsPage.choose(path);
  await expect(albumsPage.refusal("holiday-photos.zip")).toContainText("“holiday-photos.zip” is not a zip archive, or it is damaged.");
  await expect(albumsPage.queueItem("holiday-photos.zip")).toContainText("Cannot be uploaded");
  await saveScreenshot(page, "preflight-not-a-zip");
});

test("an archive over the upload limit is refused before upload", async ({ page, albumsPage, files, probe }) => {
  // The largest archive the function takes in any form (its segment plans' ceiling, else one request's
  // /tmp); the archive is a sparse file just over it.
  const figures = await probe.functionLimits();
  const archiveBytes = figures.segmentsPerWorker ? figures.archiveCeilingBytes : figures.archiveBytes;
  expect(archiveBytes).toBeGreaterThan(0);
  const path = await files.writeOversized("Everything_2019.zip", archiveBytes + MiB);
  await albumsPage.choose(path);
  const limit = formatBytes(archiveBytes).replace(".", "\\.");
  await expect(albumsPage.refusal("Everything_2019.zip")).toContainText(new RegExp(`The archive is [\\d.]+ [MG]B; Shoebox takes archives of at most ${limit}\\.`));
  await expect(albumsPage.refusal("Everything_2019.zip")).toContainText("Split the photos into several smaller zips");
  await saveScreenshot(page, "preflight-over-limit");
});

test("an entirely password-protected zip is refused before upload", async ({ albumsPage, files }) => {
  const path = await files.write("Locked.zip", await zipOf(photoSet(3), { password: "s3cret-pass" }));
  await albumsPage.choose(path);
  await expect(albumsPage.refusal("Locked.zip")).toContainText("This archive is password-protected (3 encrypted files).");
});
