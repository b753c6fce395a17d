import { expect, type Locator, type Page } from "@playwright/test";
import sharp from "sharp";

type Ring = {
  focusVisible: boolean;
  style: string;
  width: number;
  offset: number;
  color: [number, number, number];
  box: { x: number; y: number; width: number; height: number };
  /** The first ancestor whose overflow would cut the ring off, if any. */
  clippedBy: string | null;
};

/**
 * `element` has keyboard focus and its focus ring can be seen: `:focus-visible` draws an outline, no
 * ancestor's overflow cuts it off, and — in a screenshot — the outline's colour is really on screen
 * in the middle of each of its four sides (so nothing paints over it either).
 */
export async function expectFocusRingVisible(page: Page, element: Locator): Promise<void> {
  await expect(element).toBeFocused();
  // The whole ring on screen (focusing scrolls only as far as the element's edge, not its ring's).
  await element.evaluate((el) => el.scrollIntoView({ block: "center", inline: "center" }));
  const ring = await element.evaluate((el): Ring => {
    const style = getComputedStyle(el);
    const width = parseFloat(style.outlineWidth) || 0;
    const offset = parseFloat(style.outlineOffset) || 0;
    const rect = el.getBoundingClientRect();
    const reach = offset + width;
    const outer = { left: rect.left - reach, top: rect.top - reach, right: rect.right + reach, bottom: rect.bottom + reach };
    let clippedBy: string | null = null;
    for (let node = el.parentElement; node && !clippedBy; node = node.parentElement) {
      const s = getComputedStyle(node);
      if (s.overflowX === "visible" && s.overflowY === "visible" && s.clipPath === "none") continue;
      const r = node.getBoundingClientRect();
      if (outer.left < r.left || outer.top < r.top || outer.right > r.right || outer.bottom > r.bottom) clippedBy = `<${node.tagName.toLowerCase()} class="${node.className}">`;
    }
    // Tailwind's colours compute to oklch(); a canvas pixel gives the sRGB the screen shows.
    const canvas = document.createElement("canvas").getContext("2d", { willReadFrequently: true })!;
    canvas.fillStyle = style.outlineColor;
    canvas.fillRect(0, 0, 1, 1);
    const rgb = canvas.getImageData(0, 0, 1, 1).data;
    return {
      focusVisible: el.matches(":focus-visible"),
      style: style.outlineStyle,
      width,
      offset,
      color: [rgb[0], rgb[1], rgb[2]],
      box: { x: rect.left, y: rect.top, width: rect.width, height: rect.height },
      clippedBy,
    };
  });
  expect(ring.focusVisible, "focused from the keyboard (:focus-visible)").toBe(true);
  expect(ring.style, "an outline is drawn").not.toBe("none");
  expect(ring.width, "outline width (px)").toBeGreaterThanOrEqual(2);
  expect(ring.clippedBy, "no ancestor clips the ring").toBeNull();

  // Screenshot the ring's band with a pixel to spare, and look for its colour half-way along each side,
  // anywhere across the outline's thickness (a ring at a fractional position is smoothed over a pixel).
  const scale = await page.evaluate(() => devicePixelRatio);
  const reach = ring.offset + ring.width + 1;
  const clip = { x: ring.box.x - reach, y: ring.box.y - reach, width: ring.box.width + 2 * reach, height: ring.box.height + 2 * reach };
  const png = await page.screenshot({ clip, animations: "disabled", caret: "hide" });
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const depth = Math.ceil((ring.width + 2) * scale); // from the clip's edge inwards: the spare pixel, the outline, one more
  const midX = Math.round(info.width / 2);
  const midY = Math.round(info.height / 2);
  const sides: Record<string, (step: number) => [number, number]> = {
    top: (step) => [midX, step],
    bottom: (step) => [midX, info.height - 1 - step],
    left: (step) => [step, midY],
    right: (step) => [info.width - 1 - step, midY],
  };
  for (const [side, at] of Object.entries(sides)) {
    const found = Array.from({ length: depth }, (_, step) => {
      const [x, y] = at(step);
      const i = (y * info.width + x) * info.channels;
      return [data[i], data[i + 1], data[i + 2]];
    });
    const distance = Math.min(...found.map((pixel) => Math.max(...pixel.map((v, c) => Math.abs(v - ring.color[c])))));
    const seen = found.map((pixel) => `rgb(${pixel.join(", ")})`).join(" ");
    expect(distance, `the ring's colour rgb(${ring.color.join(", ")}) on its ${side} side, found ${seen}`).toBeLessThanOrEqual(40);
  }
}
