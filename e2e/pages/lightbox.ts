import { expect, type Locator, type Page } from "@playwright/test";
import { expectImageLoaded } from "./images.ts";

/** The full-screen photo viewer: ← → Home End step through the album, `i` shows the info, Esc closes; swipes on touch screens. */
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

  get infoButton(): Locator {
    return this.dialog.getByRole("button", { name: "Info", exact: true });
  }

  get infoPanel(): Locator {
    return this.dialog.getByRole("complementary", { name: "Photo info" });
  }

  /** One line of the info panel ("Date taken", "Camera", "Pixel size", "File size", "Path in the archive"). */
  info(label: string): Locator {
    return this.infoPanel.locator("dt", { hasText: label }).locator("xpath=following-sibling::dd[1]");
  }

  /**
   * A one-finger swipe across the photo by (dx, dy) CSS pixels, as a touch screen sends it (CDP touch
   * events, which Chromium turns into pointer events); the context needs `hasTouch`.
   */
  async swipe(dx: number, dy: number): Promise<void> {
    const lift = await this.drag(dx, dy);
    await lift();
  }

  /** A finger put on the photo and moved by (dx, dy), still down; the returned function lifts it. */
  async drag(dx: number, dy: number): Promise<() => Promise<void>> {
    const box = await this.dialog.getByRole("img").boundingBox();
    if (!box) throw new Error("The lightbox shows no photo to swipe.");
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    const cdp = await this.page.context().newCDPSession(this.page);
    await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x, y }] });
    const steps = 8;
    for (let i = 1; i <= steps; i++) {
      await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [{ x: x + (dx * i) / steps, y: y + (dy * i) / steps }] });
    }
    return async () => {
      try {
        await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
      } finally {
        await cdp.detach();
      }
    };
  }
}
