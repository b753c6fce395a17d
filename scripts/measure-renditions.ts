/**
 * The browsing targets, measured: how many image bytes the album pages cost, how fast Storage renders a
 * rendition, and how many images a 10,000-photo album asks for. A measurement, not a test: it prints one
 * line per target with PASS or FAIL and the baseline measured in the same run (the originals).
 *
 *   flock /tmp/shoebox-e2e.lock node --import tsx scripts/measure-renditions.ts [--only home,sixty,many,huge,rendition]
 *
 * `--only` measures some of the targets (and writes only the albums they need); the whole run takes
 * about ten minutes, most of it writing the 10,000 objects.
 *
 * It starts the app on :3000 with an in-memory platform on :54321 (scripts/start.ts --memory, building
 * the app first if its sources changed), so it takes the e2e lock. Two users, albums written through the
 * service role as an extraction leaves them (scripts/measure-renditions/seed.ts):
 *   - one with four albums — 60 photos (4000×3000 JPEGs, about 3.5 MB each) and three of one photo —
 *     for the home page's four covers and the 60-photo album, first screen and scrolled to the end;
 *   - one with 1,500 of those photos and 10,000 small ones, every photo its own Storage object (copies,
 *     so no two tiles share a URL the browser could load once), a hundred a day so the grid has days.
 * Each page is measured in a fresh browser context (an empty cache) at 1280×800, counting the bytes of
 * every image response. Server side it times 4000×3000 → 400 px WebP renditions cold and cached,
 * against downloading the originals. Screenshots of what each page showed go to bench-results/renditions/.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { loadavg } from "node:os";
import type { Browser, Page } from "@playwright/test";
import { SERVICE_ROLE_KEY } from "../local-supabase/src/shared/keys.ts";
import { imageMeter, imageRequests, launch, settle, signedIn, tilesOnScreen, VIEWPORT } from "./measure-renditions/browser.ts";
import { makePhotos, makeSmallPhoto } from "./measure-renditions/photos.ts";
import { formatTable, mb, ms, percentOf, type TargetLine } from "./measure-renditions/report.ts";
import { seedAlbum, serviceClient, signUp, type SeededAlbum, type User } from "./measure-renditions/seed.ts";

const PARTS = ["home", "sixty", "many", "huge", "rendition"] as const;
type Part = (typeof PARTS)[number];

function parts(args: string[]): Set<Part> {
  const at = args.indexOf("--only");
  if (at < 0) return new Set(PARTS);
  const named = (args[at + 1] ?? "").split(",").filter(Boolean);
  const unknown = named.filter((name) => !PARTS.includes(name as Part));
  if (named.length === 0 || unknown.length > 0) {
    console.error(`--only takes a comma-separated list of ${PARTS.join(", ")}${unknown.length ? ` (not: ${unknown.join(", ")})` : ""}`);
    process.exit(2);
  }
  return new Set(named as Part[]);
}

const APP = "http://localhost:3000";
const API = "http://127.0.0.1:54321";
const MB = 1e6;

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      await response.body?.cancel();
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function startApp(): ChildProcess {
  const child = spawn("node", ["--import", "tsx", "scripts/start.ts", "--memory"], { stdio: ["ignore", "ignore", "inherit"], detached: true });
  child.on("exit", (code) => {
    if (code) console.error(`scripts/start.ts exited with ${code}`);
  });
  return child;
}

/** What each measurement saw, for a person to check (bench-results/ is not committed). */
const SHOTS = "bench-results/renditions";

async function snapshot(page: Page, name: string): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

const sum = (entries: { size: number }[]) => entries.reduce((total, e) => total + e.size, 0);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function openAlbum(page: Page, album: SeededAlbum): Promise<void> {
  await page.goto(`${APP}/albums/${album.id}`);
  await page.getByRole("list", { name: "Photos" }).waitFor();
  await settle(page);
}

async function atBottom(page: Page): Promise<boolean> {
  return page.evaluate(() => window.scrollY + innerHeight >= document.documentElement.scrollHeight - 2);
}

/** The home page's covers, measured from the moment the sign-in form is sent. */
async function measureHome(browser: Browser, user: User) {
  let meter: ReturnType<typeof imageMeter> | undefined;
  const { context, page } = await signedIn(browser, APP, user, (p) => {
    meter = imageMeter(p);
  });
  await page.getByRole("list", { name: "Albums" }).waitFor();
  await settle(page);
  const covers = await meter!.read();
  await snapshot(page, "home");
  await context.close();
  return covers;
}

/** The 60-photo album: its first screen, then scrolled a screen at a time to the end. */
async function measureSixty(browser: Browser, user: User, album: SeededAlbum) {
  const { context, page } = await signedIn(browser, APP, user);
  const meter = imageMeter(page);
  await openAlbum(page, album);
  const firstScreen = await meter.read();
  await snapshot(page, "sixty-first-screen");
  await page.mouse.move(VIEWPORT.width / 2, VIEWPORT.height / 2);
  for (let step = 0; step < 60 && !(await atBottom(page)); step++) {
    await page.mouse.wheel(0, VIEWPORT.height * 0.8);
    // Long enough for the grid to see scrolling stop and sign what is on screen.
    await page.waitForTimeout(400);
    await settle(page);
  }
  const scrolled = await meter.read();
  await snapshot(page, "sixty-scrolled");
  await context.close();
  return { firstScreen, scrolled };
}

async function measureFirstScreen(browser: Browser, user: User, album: SeededAlbum) {
  const { context, page } = await signedIn(browser, APP, user);
  const meter = imageMeter(page);
  await openAlbum(page, album);
  const firstScreen = await meter.read();
  await snapshot(page, "many-first-screen");
  await context.close();
  return firstScreen;
}

/**
 * The 10,000-photo album: image requests once it has loaded, and those a fling (30 quick wheel turns of
 * a screen each, then stop) adds, each against the tiles on screen when it settled.
 */
async function measureTenThousand(browser: Browser, user: User, album: SeededAlbum) {
  const { context, page } = await signedIn(browser, APP, user);
  const requests = imageRequests(page);
  await openAlbum(page, album);
  const afterLoad = { requested: requests.count, ...(await tilesOnScreen(page)) };
  await snapshot(page, "huge-after-load");
  requests.reset();
  await page.mouse.move(VIEWPORT.width / 2, VIEWPORT.height / 2);
  for (let turn = 0; turn < 30; turn++) {
    await page.mouse.wheel(0, VIEWPORT.height);
    await page.waitForTimeout(16);
  }
  await page.waitForTimeout(400);
  await settle(page);
  const scrolledTo = await page.evaluate(() => Math.round(window.scrollY));
  const afterFling = { requested: requests.count, scrolledTo, ...(await tilesOnScreen(page)) };
  await snapshot(page, "huge-after-fling");
  await context.close();
  return { afterLoad, afterFling };
}

async function timeRequest(url: string, headers: Record<string, string>): Promise<number> {
  const start = performance.now();
  const response = await fetch(url, { headers });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return performance.now() - start;
}

async function sequential(times: number, run: (i: number) => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) out.push(await run(i));
  return out;
}

/**
 * 4000×3000 photos no page asked for at 400 px, so each one's first request renders it: the median of
 * five cold renders (one alone swings with whatever else the machine is doing), then the median of nine
 * cached reads of the last, against the median download of the same originals.
 */
async function measureRendition(paths: string[]) {
  const auth = { Authorization: `Bearer ${SERVICE_ROLE_KEY}`, apikey: SERVICE_ROLE_KEY };
  const webp = { ...auth, Accept: "image/webp" };
  const urls = paths.map((path) => {
    const key = path.split("/").map(encodeURIComponent).join("/");
    return { original: `${API}/storage/v1/object/authenticated/photos/${key}`, rendition: `${API}/storage/v1/render/image/authenticated/photos/${key}?width=400` };
  });
  const original = median(await sequential(urls.length, (i) => timeRequest(urls[i].original, auth)));
  const cold = median(await sequential(urls.length, (i) => timeRequest(urls[i].rendition, webp)));
  const cached = median(await sequential(9, () => timeRequest(urls[urls.length - 1].rendition, webp)));
  return { original, cold, cached, samples: urls.length };
}

const since = (start: number) => `${((performance.now() - start) / 1000).toFixed(0)} s`;

async function main(only: Set<Part>): Promise<void> {
  // Figures swing with other load on the machine: say how busy it was when the run began.
  const load = loadavg().map((l) => l.toFixed(2)).join(" ");
  const app = startApp();
  const stop = () => {
    if (app.pid) process.kill(-app.pid, "SIGTERM");
  };
  try {
    await waitFor(`${API}/auth/v1/health`, 5 * 60_000);
    await waitFor(APP, 5 * 60_000);
    let started = performance.now();
    console.log("making photos…");
    const photos = await makePhotos(3);
    const service = serviceClient(API);
    const password = "correct horse battery staple";
    const homeUser = await signUp(API, `measure-home-${randomUUID()}@example.com`, password);
    const bigUser = await signUp(API, `measure-big-${randomUUID()}@example.com`, password);
    console.log(`writing albums: 60 photos and three covers… (${since(started)})`);
    const sixty = await seedAlbum(service, homeUser, "Sixty photos", 60, photos);
    if (only.has("home")) for (const [i, name] of ["Cover A", "Cover B", "Cover C"].entries()) await seedAlbum(service, homeUser, name, 1, [photos[i]]);
    let many: SeededAlbum | null = null;
    if (only.has("many")) {
      console.log(`writing albums: 1,500 photos… (${since(started)})`);
      many = await seedAlbum(service, bigUser, "1,500 photos", 1500, photos, { progress: (n) => console.log(`  ${n} of 1,500`) });
    }
    let huge: SeededAlbum | null = null;
    if (only.has("huge")) {
      console.log(`writing albums: 10,000 photos… (${since(started)})`);
      huge = await seedAlbum(service, bigUser, "10,000 photos", 10_000, [await makeSmallPhoto()], {
        width: 1200,
        height: 900,
        progress: (n) => n % 2500 === 0 && console.log(`  ${n} of 10,000 (${since(started)})`),
      });
    }

    console.log(`browsing… (${since(started)})`);
    started = performance.now();
    const browser = await launch();
    const covers = only.has("home") ? await measureHome(browser, homeUser) : null;
    const sixtyResult = only.has("sixty") ? await measureSixty(browser, homeUser, sixty) : null;
    const manyFirst = many ? await measureFirstScreen(browser, bigUser, many) : null;
    const hugeResult = huge ? await measureTenThousand(browser, bigUser, huge) : null;
    await browser.close();
    const timing = only.has("rendition") ? await measureRendition(sixty.entries.slice(-5).map((e) => e.path)) : null;
    console.log(`measured (${since(started)})`);

    const lines: TargetLine[] = [];
    const bytesLine = (target: string, limit: number, got: { bytes: number; count: number }, originals: number) =>
      lines.push({
        target,
        measured: `${mb(got.bytes)} in ${got.count} images`,
        baseline: `originals ${mb(originals)} (${percentOf(got.bytes, originals)})`,
        pass: got.bytes <= limit,
      });
    if (sixtyResult) {
      bytesLine("60 photos, first screen ≤ 3 MB", 3 * MB, sixtyResult.firstScreen, sum(sixty.entries.slice(0, sixtyResult.firstScreen.count)));
      bytesLine("60 photos, scrolled to the end ≤ 10 MB", 10 * MB, sixtyResult.scrolled, sum(sixty.entries));
    }
    if (many && manyFirst) bytesLine("1,500 photos, first screen ≤ 2 MB", 2 * MB, manyFirst, sum(many.entries.slice(0, manyFirst.count)));
    // The covers are each album's first photo: photos[0] twice (the 60-photo album and Cover A), then [1] and [2].
    if (covers) bytesLine("home, four covers ≤ 0.5 MB", 0.5 * MB, covers, 2 * photos[0].length + photos[1].length + photos[2].length);
    if (timing) {
      lines.push({
        target: "4000×3000 → 400 px WebP, cold ≤ 200 ms",
        measured: `${ms(timing.cold)} (median of ${timing.samples})`,
        baseline: `original download ${ms(timing.original)} (${(timing.cold / timing.original).toFixed(1)}×)`,
        pass: timing.cold <= 200,
      });
      lines.push({
        target: "4000×3000 → 400 px WebP, cached ≤ 10 ms",
        measured: ms(timing.cached),
        baseline: `original download ${ms(timing.original)} (${(timing.cached / timing.original).toFixed(2)}×)`,
        pass: timing.cached <= 10,
      });
    }
    if (huge && hugeResult) {
      const requestLine = (target: string, got: { requested: number; visible: number; columns: number; rowsPerScreen: number }) => {
        // The margin: one more screen of rows, shared between above and below what is visible.
        const margin = got.columns * got.rowsPerScreen;
        lines.push({
          target,
          measured: `${got.requested} images; ${got.visible} tiles visible + ${margin} margin = ${got.visible + margin}`,
          baseline: `${huge.entries.length.toLocaleString("en-US")} photos in the album (${percentOf(got.requested, huge.entries.length)})`,
          pass: got.requested <= got.visible + margin,
        });
      };
      requestLine("10,000 photos, after load ≤ visible + margin", hugeResult.afterLoad);
      requestLine(`10,000 photos, a fling to y=${hugeResult.afterFling.scrolledTo} ≤ visible + margin`, hugeResult.afterFling);
    }

    console.log("");
    console.log(`Measured targets — Chromium ${VIEWPORT.width}×${VIEWPORT.height} at device pixel ratio 1; source photos 4000×3000 JPEG, ${mb(photos[0].length)} each; load average at the start ${load}`);
    console.log(formatTable(lines));
    const failed = lines.filter((l) => !l.pass).length;
    console.log(failed === 0 ? "\nEvery target met." : `\n${failed} of ${lines.length} targets missed.`);
  } finally {
    stop();
  }
}

await main(parts(process.argv.slice(2)));
