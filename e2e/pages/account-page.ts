import { expect, type Page } from "@playwright/test";

/** /account: a guest adds an email and a password and keeps the same account (and albums). */
export class AccountPage {
  constructor(private readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto("/account");
    await expect(this.page.getByRole("heading", { name: "Account", level: 1 })).toBeVisible();
  }

  async saveAccount(email: string, password: string): Promise<void> {
    await expect(this.page.getByText("You are using Shoebox as a guest.")).toBeVisible();
    await this.page.getByLabel("Email", { exact: true }).fill(email);
    await this.page.getByLabel("Password", { exact: true }).fill(password);
    await this.page.getByRole("button", { name: "Save my account" }).click();
    await expect(this.page.getByText(`Signed in as ${email}`)).toBeVisible();
  }
}
