import { createClient } from "@supabase/supabase-js";
import WebSocket from "ws";
import { serviceClient, sessionOf, SUPABASE_ANON_KEY, SUPABASE_URL } from "./fixtures/platform.ts";
import { expect, test } from "./fixtures/test.ts";
import { photoSet, zipOf } from "./fixtures/zips.ts";

/** Every object key under `folder` of the photos bucket, walking Storage's one-level listing. */
async function objectsUnder(folder: string): Promise<string[]> {
  const storage = serviceClient().storage.from("photos");
  const { data, error } = await storage.list(folder, { limit: 1000 });
  if (error) throw new Error(`list ${folder}: ${error.message}`);
  const keys: string[] = [];
  for (const item of data ?? []) {
    if (item.id === null) keys.push(...(await objectsUnder(`${folder}/${item.name}`)));
    else keys.push(`${folder}/${item.name}`);
  }
  return keys;
}

test("deleting an album from its page removes the album and every one of its photos", async ({ page, loginPage, albumsPage, albumPage, files, probe }) => {
  const photos = photoSet(4, { folder: "Day 1/" });
  const path = await files.write("Weekend Away.zip", await zipOf(photos));
  await loginPage.goto();
  await loginPage.continueAsGuest();
  const albumId = await albumsPage.upload(path, "Weekend Away.zip", photos.length);
  await albumPage.waitForAllDone({ added: photos.length, skipped: 0, failed: 0 });
  const { userId } = await sessionOf(page.context());
  expect(await objectsUnder(`${userId}/${albumId}`)).toHaveLength(photos.length);

  await page.getByRole("button", { name: "Delete Weekend Away" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete album?" });
  await expect(dialog).toContainText("“Weekend Away” and all its photos will be deleted.");
  await dialog.getByRole("button", { name: "Delete album" }).click();

  await expect(page).toHaveURL(/\/$/);
  await albumsPage.expectNoAlbums();
  expect(await probe.album(albumId)).toBeNull();
  expect(await objectsUnder(`${userId}/${albumId}`)).toEqual([]);
});

test("an archive that would not fit in the user's storage is refused before any of it is sent, saying why", async ({ page, loginPage, albumsPage, files, traffic, probe }) => {
  await loginPage.goto();
  await loginPage.continueAsGuest();
  const { userId, accessToken } = await sessionOf(page.context());
  // Another album of this user, still waiting for its archive, has reserved all but 100 bytes of the
  // default 20 GiB (docs/architecture.md#per-user-limits).
  const asUser = createClient(SUPABASE_URL, SUPABASE_ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { headers: { Authorization: `Bearer ${accessToken}` } },
    realtime: { transport: WebSocket as never },
  });
  const reserved = await asUser.from("albums").insert({ name: "Big one", source_bytes: 20 * 1024 ** 3 - 100 });
  expect(reserved.error).toBeNull();

  const path = await files.write("Too Much.zip", await zipOf(photoSet(2)));
  await albumsPage.goto();
  await albumsPage.choose(path);
  await albumsPage.expectReady("Too Much.zip", 2);
  await albumsPage.uploadButton.click();
  await expect(albumsPage.queueItem("Too Much.zip")).toContainText(
    /Could not create the album: This archive \(.+\) does not fit in your storage: 100 B of 20\.0 GB is left\. Delete albums you no longer need, then try again\./,
  );
  expect(traffic.functionPosts).toEqual([]);
  expect((await probe.albumsOf(userId)).map((a) => a.name)).toEqual(["Big one"]);
  // The albums page says how close to the limits the user is, before the next upload is tried.
  await albumsPage.goto();
  await expect(page.getByText("1 of 1,000 albums · 20.0 GB of 20.0 GB used")).toBeVisible();
  await expect(page.getByText("You are close to your limits: room for 100 B more photos. Delete albums you no longer need to make room.")).toBeVisible();
});
