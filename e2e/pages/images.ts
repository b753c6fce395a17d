import { expect, type Locator } from "@playwright/test";

/**
 * An <img> that really loaded: decoded, with pixels. Tiles load lazily, so the image is scrolled into
 * view first; `width` (the fixture's) proves it is the right photo, not just any picture.
 */
export async function expectImageLoaded(img: Locator, width?: number): Promise<void> {
  await img.scrollIntoViewIfNeeded();
  const naturalWidth = () => img.evaluate((el: HTMLImageElement) => (el.complete ? el.naturalWidth : 0));
  if (width === undefined) await expect.poll(naturalWidth, { message: "image decoded" }).toBeGreaterThan(0);
  else await expect.poll(naturalWidth, { message: `image decoded, ${width} px wide` }).toBe(width);
}
