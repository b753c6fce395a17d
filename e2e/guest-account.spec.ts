import { sessionOf } from "./fixtures/platform.ts";
import { expect, test, uniqueEmail } from "./fixtures/test.ts";
import { photoSet, zipOf } from "./fixtures/zips.ts";

test("a guest who adds an email and a password keeps the album after signing out and in again", async ({ page, loginPage, albumsPage, albumPage, accountPage, header, files }) => {
  const photos = photoSet(2);
  const path = await files.write("Keepsakes.zip", await zipOf(photos));
  const email = uniqueEmail("guest");
  const password = "kept-albums-42";

  await loginPage.goto();
  await loginPage.continueAsGuest();
  await header.expectGuest();
  const guest = await sessionOf(page.context());
  const albumId = await albumsPage.upload(path, "Keepsakes.zip", photos.length);
  await albumPage.waitForAllDone({ added: photos.length, skipped: 0, failed: 0 });

  await header.openAccount();
  await accountPage.saveAccount(email, password);
  await header.expectSignedInAs(email);
  await header.signOut();

  await loginPage.signIn(email, password);
  expect((await sessionOf(page.context())).userId, "the same account, not a new one").toBe(guest.userId);
  await albumsPage.albumLink("Keepsakes").click();
  await expect(page).toHaveURL(new RegExp(`/albums/${albumId}$`));
  await albumPage.expectPhotosRendered(photos);
});
