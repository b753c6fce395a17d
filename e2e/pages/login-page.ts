import { expect, type Page } from "@playwright/test";

/** /login: continue as a guest, or sign in / create an account with email and password. */
export class LoginPage {
  constructor(private readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto("/login");
    await expect(this.page.getByRole("heading", { name: "Welcome to Shoebox" })).toBeVisible();
  }

  async continueAsGuest(): Promise<void> {
    await this.page.getByRole("button", { name: "Continue as a guest" }).click();
    await this.expectSignedIn();
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.fill(email, password);
    await this.page.getByRole("button", { name: "Sign in", exact: true }).click();
    await this.expectSignedIn();
  }

  async signUp(email: string, password: string): Promise<void> {
    await this.page.getByRole("button", { name: "New here? Create an account" }).click();
    await expect(this.page.getByRole("heading", { name: "Create an account" })).toBeVisible();
    await this.fill(email, password);
    await this.page.getByRole("button", { name: "Create account", exact: true }).click();
    await this.expectSignedIn();
  }

  private async fill(email: string, password: string): Promise<void> {
    await this.page.getByLabel("Email", { exact: true }).fill(email);
    await this.page.getByLabel("Password", { exact: true }).fill(password);
  }

  /** Signed in means the albums home, with the account menu in the header. */
  private async expectSignedIn(): Promise<void> {
    await expect(this.page).toHaveURL(/\/$/);
    await expect(this.page.getByRole("heading", { name: "Your albums", level: 1 })).toBeVisible();
    await expect(this.page.getByRole("navigation", { name: "Account" })).toBeVisible();
  }
}
