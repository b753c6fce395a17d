/**
 * How many image bytes the album pages cost, and how fast Storage renders a rendition. A measurement,
 * not a test: it prints figures and ratios against baselines taken in the same run.
 *
 *   flock /tmp/shoebox-e2e.lock node --import tsx scripts/measure-renditions.ts
 *
 * It starts the app on :3000 with an in-memory platform on :54321 (scripts/start.ts --memory), so it
 * takes the e2e lock. It makes a user with four albums — one of 60 photos (4000×3000 JPEGs, about
 * 3.5 MB each) and three with one photo — then drives Chromium through the UI and counts the
 * bytes of every image response: the home page (four covers), the album's first screen, and the album
 * scrolled to the end. The baseline for page bytes is the originals of the same photos. Server side it
 * times one 4000×3000 → 400 px WebP rendition cold and cached, against downloading the original.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { chromium, type Page } from "@playwright/test";
import sharp from "sharp";
import { makeClient } from "../local-supabase/test/support/platform.ts";
import { ANON_KEY, SERVICE_ROLE_KEY } from "../local-supabase/src/shared/keys.ts";

const APP = "http://localhost:3000";
const API = "http://127.0.0.1:54321";
const PHOTOS = 60;
const VARIANTS = 3;
const VIEWPORT = { width: 1280, height: 800 };

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

/**
 * Distinct 4000×3000 JPEGs of about 3.5 MB, reused round-robin. Like a photo they have structure at
 * every scale — broad shading, mid-size waves that survive a downscale, grain that keeps the JPEG
 * large — so a rendition weighs what a real one would (pure noise would average out to flat grey).
 */
async function makePhotos(): Promise<Buffer[]> {
  const width = 4000;
  const height = 3000;
  const photos: Buffer[] = [];
  for (let variant = 0; variant < VARIANTS; variant++) {
    const pixels = Buffer.alloc(width * height * 3);
    const phase = Array.from({ length: 9 }, () => Math.random() * Math.PI * 2);
    let seed = 1234567 + variant;
    const grain = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff - 0.5) * 56;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 3;
        for (let c = 0; c < 3; c++) {
          const broad = 60 * Math.sin(x / 420 + phase[c]) * Math.cos(y / 300 + phase[c + 3]);
          const waves = 35 * Math.sin((x * (c + 1) + y * 2) / 37 + phase[c + 6]);
          pixels[i + c] = Math.max(0, Math.min(255, 128 + broad + waves + grain()));
        }
      }
    }
    photos.push(await sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer());
  }
  return photos;
}

async function makeAlbums(email: string, password: string, photos: Buffer[]) {
  const anon = makeClient(API, ANON_KEY);
  const { data, error } = await anon.auth.signUp({ email, password });
  if (error || !data.user) throw error ?? new Error("sign-up returned no user");
  const owner = data.user.id;
  const service = makeClient(API, SERVICE_ROLE_KEY);
  const albumOf = async (name: string, count: number) => {
    const { data: album, error: albumError } = await service
      .from("albums")
      .insert({ owner_id: owner, name, status: "ready", entries_total: count, uploaded: count })
      .select("id")
      .single();
    if (albumError) throw albumError;
    const entries = [];
    for (let idx = 0; idx < count; idx++) {
      const fileName = `IMG_${4001 + idx}.JPG`;
      const path = `${owner}/${album.id}/${fileName}`;
      const bytes = photos[idx % photos.length];
      const upload = await service.storage.from("photos").upload(path, bytes, { contentType: "image/jpeg" });
      if (upload.error) throw upload.error;
      entries.push({ album_id: album.id, idx, name: fileName, path, size: bytes.length, content_type: "image/jpeg", status: "uploaded" });
    }
    const inserted = await service.from("album_entries").insert(entries);
    if (inserted.error) throw inserted.error;
    return { id: album.id as string, entries };
  };
  const big = await albumOf("Sixty photos", PHOTOS);
  for (const name of ["Cover A", "Cover B", "Cover C"]) await albumOf(name, 1);
  return { owner, big, service };
}

/** Counts the body bytes of every image response from now on. */
function imageMeter(page: Page) {
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
    async read() {
      await Promise.all(pending);
      return { bytes, count };
    },
  };
}

async function settle(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
  // Every image in the viewport decoded (lazy ones further down are not asked for).
  await page.waitForFunction(() => Array.from(document.images).filter((img) => {
    const box = img.getBoundingClientRect();
    return box.bottom > 0 && box.top < innerHeight;
  }).every((img) => img.complete && img.naturalWidth > 0), undefined, { timeout: 60_000 });
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timeRequest(url: string, headers: Record<string, string>): Promise<number> {
  const start = performance.now();
  const response = await fetch(url, { headers });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return performance.now() - start;
}

async function main(): Promise<void> {
  const app = startApp();
  const stop = () => {
    if (app.pid) process.kill(-app.pid, "SIGTERM");
  };
  try {
    await waitFor(`${API}/auth/v1/health`, 5 * 60_000);
    await waitFor(APP, 5 * 60_000);
    console.log("making photos and albums…");
    const photos = await makePhotos();
    const email = `measure-${randomUUID()}@example.com`;
    const password = "correct horse battery staple";
    const { big } = await makeAlbums(email, password, photos);

    const browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    await page.goto(`${APP}/login`);
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    const home = imageMeter(page);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByRole("heading", { name: "Your albums", level: 1 }).waitFor();
    await settle(page);
    const covers = await home.read();
    const coverBaseline = 4 * photos[0].length;

    const album = imageMeter(page);
    await page.goto(`${APP}/albums/${big.id}`);
    await page.getByRole("list", { name: "Photos" }).waitFor();
    await settle(page);
    const firstScreen = await album.read();
    const firstBaseline = big.entries.slice(0, firstScreen.count).reduce((sum, e) => sum + e.size, 0);
    for (let i = 0; i < 20; i++) {
      await page.mouse.wheel(0, VIEWPORT.height);
      await page.waitForTimeout(300);
    }
    await page.waitForFunction((n) => document.querySelectorAll('ul[aria-label="Photos"] img').length >= n, PHOTOS, { timeout: 60_000 });
    await page.waitForLoadState("networkidle");
    await page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLImageElement>('ul[aria-label="Photos"] img')).every((img) => img.complete && img.naturalWidth > 0), undefined, { timeout: 60_000 });
    const whole = await album.read();
    const wholeBaseline = big.entries.reduce((sum, e) => sum + e.size, 0);
    await browser.close();

    // Server side: a photo the grid never asked for at 400 px, so the first request renders it.
    const path = big.entries[PHOTOS - 1].path.split("/").map(encodeURIComponent).join("/");
    const auth = { Authorization: `Bearer ${SERVICE_ROLE_KEY}`, apikey: SERVICE_ROLE_KEY };
    const original = median(await sequential(5, () => timeRequest(`${API}/storage/v1/object/authenticated/photos/${path}`, auth)));
    // The least a read costs here (JWT, RLS lookup, a small body): what a cached rendition is compared with.
    const info = median(await sequential(9, () => timeRequest(`${API}/storage/v1/object/info/authenticated/photos/${path}`, auth)));
    const cold = await timeRequest(`${API}/storage/v1/render/image/authenticated/photos/${path}?width=400`, { ...auth, Accept: "image/webp" });
    const cached = median(await sequential(9, () => timeRequest(`${API}/storage/v1/render/image/authenticated/photos/${path}?width=400`, { ...auth, Accept: "image/webp" })));

    const ratio = (value: number, base: number) => `${((100 * value) / base).toFixed(1)} % of baseline`;
    console.log("");
    console.log(`source photo: 4000×3000 JPEG, ${mb(photos[0].length)}`);
    console.log(`home, four covers:  ${mb(covers.bytes)} in ${covers.count} images (originals: ${mb(coverBaseline)}; ${ratio(covers.bytes, coverBaseline)}; target: well under the originals)`);
    console.log(`album first screen: ${mb(firstScreen.bytes)} in ${firstScreen.count} images (originals: ${mb(firstBaseline)}; ${ratio(firstScreen.bytes, firstBaseline)}; target ≤ 3 MB)`);
    console.log(`album scrolled:     ${mb(whole.bytes)} in ${whole.count} images (originals: ${mb(wholeBaseline)}; ${ratio(whole.bytes, wholeBaseline)}; target ≤ 10 MB)`);
    console.log(`rendition 4000×3000 → 400 px WebP: cold ${cold.toFixed(0)} ms (target ≤ 200), cached ${cached.toFixed(1)} ms (target ≤ 10); original download ${original.toFixed(1)} ms → cold ${(cold / original).toFixed(1)}×, cached ${(cached / original).toFixed(2)}× the original's time; object info ${info.toFixed(1)} ms → cached rendition ${(cached / info).toFixed(2)}× the smallest authorised read`);
  } finally {
    stop();
  }
}

async function sequential(times: number, run: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) out.push(await run());
  return out;
}

await main();
