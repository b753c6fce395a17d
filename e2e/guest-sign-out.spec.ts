import { expectAccessible } from "./fixtures/axe.ts";
import { sessionOf } from "./fixtures/platform.ts";
import { expect, test, uniqueEmail } from "./fixtures/test.ts";
import { photoSet, zipOf } from "./fixtures/zips.ts";

test("a guest who signs out is warned the album will be lost, and can save an account instead", async ({ page, loginPage, albumsPage, albumPage, header, files }) => {
  const photos = photoSet(1);
  const path = await files.write("Seaside.zip", await zipOf(photos));
  const email = uniqueEmail("leaving-guest");
  const password = "keep-the-seaside-7";

  await loginPage.goto();
  await loginPage.continueAsGuest();
  const guest = await sessionOf(page.context());
  const albumId = await albumsPage.upload(path, "Seaside.zip", photos.length);
  await albumPage.waitForAllDone({ added: photos.length, skipped: 0, failed: 0 });

  const warning = await header.askToSignOutAsGuest();
  await expect(warning).toContainText("your album and its photos will be lost for good unless you save an email and a password first");
  await expectAccessible(page, "guest sign-out warning");
  await warning.getByRole("button", { name: "Stay signed in" }).click();
  await expect(warning).toBeHidden();
  await header.expectGuest();

  await header.askToSignOutAsGuest();
  await warning.getByRole("button", { name: "Save my account first" }).click();
  const save = page.getByRole("dialog", { name: "Save your account" });
  await save.getByLabel("Email", { exact: true }).fill(email);
  await save.getByLabel("Password", { exact: true }).fill(password);
  await save.getByRole("button", { name: "Save and sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);

  await loginPage.signIn(email, password);
  expect((await sessionOf(page.context())).userId, "the guest's own account, now with an email").toBe(guest.userId);
  await albumsPage.albumLink("Seaside").click();
  await expect(page).toHaveURL(new RegExp(`/albums/${albumId}$`));
  await albumPage.expectPhotosRendered(photos);
});

test("a guest who confirms signs out at once; a signed-in email user is never asked", async ({ page, loginPage, header }) => {
  await loginPage.goto();
  await loginPage.continueAsGuest();
  const warning = await header.askToSignOutAsGuest();
  await expect(warning).toContainText("anything you upload as this guest will be lost for good");
  await warning.getByRole("button", { name: "Sign out and lose them" }).click();
  await expect(page).toHaveURL(/\/login$/);

  const email = uniqueEmail("member");
  await loginPage.signUp(email, "a-member-password-9");
  await header.signOut();
});
