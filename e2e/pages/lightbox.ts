import { expect, type Locator, type Page } from "@playwright/test";
import { expectImageLoaded } from "./images.ts";

/** The full-screen photo viewer: ← and → step through the album, Esc closes. */
export class Lightbox {
  constructor(private readonly page: Page) {}

  get dialog(): Locator {
    return this.page.getByRole("dialog", { name: /^Photo \d+ of \d+: / });
  }

  /** Shows photo `position` (1-based) of `total`, and its image has loaded. */
  async expectShowing(position: number, total: number, name: string, width?: number): Promise<void> {
    await expect(this.dialog).toHaveAccessibleName(`Photo ${position} of ${total}: ${name}`);
    await expectImageLoaded(this.dialog.getByRole("img", { name, exact: true }), width);
  }

  async next(): Promise<void> {
    await this.page.keyboard.press("ArrowRight");
  }

  async previous(): Promise<void> {
    await this.page.keyboard.press("ArrowLeft");
  }

  async close(): Promise<void> {
    await this.page.keyboard.press("Escape");
    await expect(this.dialog).toBeHidden();
  }
}
