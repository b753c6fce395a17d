/** Chromium as the measurement drives it: a fresh profile per page, signed in, counting image traffic. */
import { chromium, type Browser, type BrowserContext, type Page } from "@playwright/test";
import type { User } from "./seed.ts";

export const VIEWPORT = { width: 1280, height: 800 };

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/**
 * A new context (its own HTTP cache, so nothing an earlier page loaded is free) with `user` signed in
 * through the login form. `beforeSignIn` runs on the page just before the form is sent.
 */
export async function signedIn(browser: Browser, app: string, user: User, beforeSignIn?: (page: Page) => void): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await page.goto(`${app}/login`);
  await page.getByLabel("Email", { exact: true }).fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  beforeSignIn?.(page);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("heading", { name: "Your albums", level: 1 }).waitFor();
  return { context, page };
}

export type ImageTraffic = { bytes: number; count: number };

/** Counts every image response from now on (body bytes: what crossed the wire for pixels). */
export function imageMeter(page: Page) {
  let bytes = 0;
  let count = 0;
  const pending: Promise<void>[] = [];
  page.on("response", (response) => {
    if (response.request().resourceType() !== "image") return;
    pending.push(response.body().then((body) => {
      bytes += body.length;
      count++;
    }, () => {}));
  });
  return {
    /** Traffic so far, once every body counted is in. */
    async read(): Promise<ImageTraffic> {
      await Promise.all(pending);
      return { bytes, count };
    },
  };
}

/**
 * Waits until the page is quiet: no request for 500 ms, and every photo tile on screen (the grid's
 * buttons, or the home page's cover images) shows a decoded image. A tile whose URL is still being
 * signed has no <img> yet, so counting only images would stop too early.
 */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
  // No named functions inside: tsx compiles them with a `__name` helper the page does not have.
  await page.waitForFunction(() => {
    const elements: Element[] = [...Array.from(document.querySelectorAll("[data-photo-index]")), ...Array.from(document.images)];
    return elements
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return box.bottom > 0 && box.top < innerHeight && box.width > 0;
      })
      .every((el) => {
        const img = el instanceof HTMLImageElement ? el : el.querySelector("img");
        return img !== null && img.complete && img.naturalWidth > 0;
      });
  }, undefined, { timeout: 120_000, polling: 200 });
  await page.waitForLoadState("networkidle");
}

export type TileCount = {
  /** Tiles at least partly inside the viewport. */
  visible: number;
  /** Tiles per row, and rows per screen height: the margin is a screen's worth of rows. */
  columns: number;
  rowsPerScreen: number;
};

/** How many photo tiles are on screen now, and how many one more screen of rows holds. */
export async function tilesOnScreen(page: Page): Promise<TileCount> {
  return page.evaluate(() => {
    const tiles = Array.from(document.querySelectorAll("[data-photo-index]")).map((el) => el.getBoundingClientRect());
    const visible = tiles.filter((box) => box.bottom > 0 && box.top < innerHeight && box.width > 0).length;
    const first = tiles[0];
    const columns = first ? tiles.filter((box) => Math.abs(box.top - first.top) < 1).length : 0;
    const tops = [...new Set(tiles.map((box) => Math.round(box.top)))].sort((a, b) => a - b);
    const rowPx = tops.length > 1 ? Math.min(...tops.slice(1).map((top, i) => top - tops[i]).filter((d) => d > 0)) : innerHeight;
    return { visible, columns, rowsPerScreen: Math.ceil(innerHeight / rowPx) };
  });
}

/** Image requests (renditions or originals of photos) made from now on, counted as they leave. */
export function imageRequests(page: Page) {
  let count = 0;
  page.on("request", (request) => {
    if (request.resourceType() === "image" && /\/storage\/v1\/(render\/image|object)\//.test(request.url())) count++;
  });
  return { get count() { return count; }, reset() { count = 0; } };
}
