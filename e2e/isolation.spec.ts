import { apiGuest, uploadThroughApi } from "./fixtures/platform.ts";
import { expect, test, uniqueEmail } from "./fixtures/test.ts";
import { photoSet, zipOf } from "./fixtures/zips.ts";

test("a second user sees neither the first user's album nor its page", async ({ page, loginPage, albumsPage, probe }) => {
  // The first user's album, made through the API as the app makes it.
  const owner = await apiGuest();
  const albumId = await uploadThroughApi(owner, "Private Holiday", await zipOf(photoSet(2)));
  await expect.poll(async () => (await probe.album(albumId))?.status, { timeout: 30_000 }).toBe("ready");

  await loginPage.goto();
  await loginPage.signUp(uniqueEmail("second"), "another-secret-1");
  await albumsPage.expectNoAlbums();
  await expect(page.getByText("Private Holiday")).toHaveCount(0);

  // The direct URL answers as for an album that does not exist, though it does.
  await page.goto(`/albums/${albumId}`);
  await expect(page.getByRole("heading", { name: "Album not found", level: 1 })).toBeVisible();
  await expect(page.getByText("Private Holiday")).toHaveCount(0);
  await expect(page.getByRole("list", { name: "Photos" })).toHaveCount(0);
  expect(await probe.album(albumId)).toMatchObject({ owner_id: owner.userId, status: "ready" });
});
