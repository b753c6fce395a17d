import { expect, type Page } from "@playwright/test";

/** The header's account menu, on every signed-in page. */
export class SiteHeader {
  constructor(private readonly page: Page) {}

  private get nav() {
    return this.page.getByRole("navigation", { name: "Account" });
  }

  async openAccount(): Promise<void> {
    await this.nav.getByRole("link").first().click();
    await expect(this.page).toHaveURL(/\/account$/);
  }

  async expectGuest(): Promise<void> {
    await expect(this.nav.getByRole("link", { name: "Guest · save account" })).toBeVisible();
  }

  async expectSignedInAs(email: string): Promise<void> {
    await expect(this.nav.getByRole("link", { name: email })).toBeVisible();
  }

  /** A guest's "Sign out" asks first; returns the warning dialog. */
  async askToSignOutAsGuest() {
    await this.nav.getByRole("button", { name: "Sign out" }).click();
    const warning = this.page.getByRole("dialog", { name: "Sign out of a guest account?" });
    await expect(warning).toBeVisible();
    return warning;
  }

  async signOut(): Promise<void> {
    await this.nav.getByRole("button", { name: "Sign out" }).click();
    await expect(this.page).toHaveURL(/\/login$/);
  }
}
