import { expectAccessible } from "./fixtures/axe.ts";
import { SUPABASE_URL } from "./fixtures/platform.ts";
import { expect, test, uniqueEmail } from "./fixtures/test.ts";

/** The newest mail to `email`, from the platform's local mail viewer (Mailpit's API shape). */
async function recoveryLinkFor(email: string): Promise<string> {
  let link: string | undefined;
  await expect(async () => {
    const list = await (await fetch(`${SUPABASE_URL}/mail/api/v1/messages?query=to:${encodeURIComponent(email)}`)).json();
    expect(list.messages.length, `a mail to ${email}`).toBeGreaterThan(0);
    const mail = await (await fetch(`${SUPABASE_URL}/mail/api/v1/message/${list.messages[0].ID}`)).json();
    expect(mail.Subject).toBe("Reset Your Password");
    link = mail.Links[0];
  }).toPass({ timeout: 10_000 });
  return link!;
}

test("a user who forgot the password gets a mail, follows its link, chooses a new password and signs in with it", async ({ page, loginPage, header }) => {
  const email = uniqueEmail("forgetful");
  await loginPage.goto();
  await loginPage.signUp(email, "the-old-password-1");
  await header.signOut();

  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page.getByRole("heading", { name: "Forgot your password?", level: 1 })).toBeVisible();
  await expectAccessible(page, "forgot password");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByText("Check your email")).toBeVisible();

  const link = await recoveryLinkFor(email);
  await page.goto(link);
  await expect(page).toHaveURL(/\/account\/password$/);
  await expect(page.getByRole("heading", { name: "Choose a new password", level: 1 })).toBeVisible();
  await expectAccessible(page, "choose a new password");
  await page.getByLabel("New password", { exact: true }).fill("the-new-password-2");
  await page.getByRole("button", { name: "Save new password" }).click();
  await expect(page.getByText("Your new password is saved.")).toBeVisible();
  await header.signOut();

  await loginPage.signIn(email, "the-new-password-2");
  await header.signOut();
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill("the-old-password-1");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Invalid login credentials" })).toBeVisible();

  // The link worked once; a second visit is told to ask for a new one.
  await page.goto(link);
  await expect(page).toHaveURL(/\/login\/forgot-password\?expired=1$/);
  await expect(page.getByText("That link no longer works")).toBeVisible();
});
