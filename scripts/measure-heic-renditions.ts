/**
 * What a HEIC rendition costs on the local platform, against a JPEG of the same pixels rendered in the
 * same run: a 4032×3024 photo (an iPhone's 12 MP) → 400 px WebP, cold (first request: decode, resize,
 * encode, cache) and cached, and how long the platform's event loop stalls meanwhile. HEIC is decoded
 * by libheif (WebAssembly) on worker threads (docs/supabase-behaviour.md#heic-sources), so the stall
 * should stay near the JPEG's although the decode itself costs more. A measurement, not a test.
 *
 *   node --import tsx scripts/measure-heic-renditions.ts
 *
 * It starts its own in-memory platform on a free port (no lock needed) and takes about a minute.
 */
import { loadavg } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import sharp from "sharp";
import { SERVICE_ROLE_KEY, startTestPlatform } from "../local-supabase/test/support/platform.ts";
import { buildHeic } from "../test/support/heic.ts";

const WIDTH = 4032;
const HEIGHT = 3024;
/** Cold renders per format (each of its own object, so each is a first request). */
const COLD = 3;
const CACHED = 9;

/** A photo-like picture: smooth gradients with fine texture, so neither codec gets it for free. */
function picture(): Uint8Array {
  const rgba = new Uint8Array(WIDTH * HEIGHT * 4);
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const at = (y * WIDTH + x) * 4;
      const grain = ((x * 73856093) ^ (y * 19349663)) & 31;
      rgba[at] = ((x / WIDTH) * 200 + grain) & 255;
      rgba[at + 1] = ((y / HEIGHT) * 180 + grain) & 255;
      rgba[at + 2] = (((x + y) / (WIDTH + HEIGHT)) * 160 + 40 + grain) & 255;
      rgba[at + 3] = 255;
    }
  }
  return rgba;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value: number) => `${value.toFixed(0)} ms`;

async function main(): Promise<void> {
  const load = loadavg().map((l) => l.toFixed(2)).join(" ");
  console.log(`making a ${WIDTH}×${HEIGHT} photo as JPEG and HEIC…`);
  const rgba = picture();
  const jpeg = await sharp(rgba, { raw: { width: WIDTH, height: HEIGHT, channels: 4 } }).removeAlpha().jpeg({ quality: 90 }).toBuffer();
  const heic = await buildHeic({ width: WIDTH, height: HEIGHT, rgba });

  const tp = await startTestPlatform();
  try {
    const service = tp.service();
    const bucket = `heic-measure-${Date.now()}`;
    await service.storage.createBucket(bucket, { public: false });
    const sources = { jpeg: { bytes: jpeg, type: "image/jpeg" }, heic: { bytes: heic, type: "image/heic" } } as const;
    for (const [format, { bytes, type }] of Object.entries(sources)) {
      for (let i = 0; i < COLD; i++) {
        const { error } = await service.storage.from(bucket).upload(`${format}-${i}`, bytes, { contentType: type });
        if (error) throw error;
      }
    }
    const headers = { Authorization: `Bearer ${SERVICE_ROLE_KEY}`, apikey: SERVICE_ROLE_KEY, Accept: "image/webp" };
    const time = async (key: string) => {
      const start = performance.now();
      const response = await fetch(`${tp.url}/storage/v1/render/image/authenticated/${bucket}/${key}?width=400`, { headers });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`${key}: ${response.status}`);
      return performance.now() - start;
    };

    const results: Record<string, { cold: number; cached: number; stall: number }> = {};
    for (const format of Object.keys(sources)) {
      await time(`${format}-0`); // warm-up: module loads and the first decoder thread are not the photo's cost
      const colds: number[] = [];
      const loop = monitorEventLoopDelay({ resolution: 5 });
      loop.enable();
      for (let i = 1; i < COLD; i++) colds.push(await time(`${format}-${i}`));
      loop.disable();
      const cached: number[] = [];
      for (let i = 0; i < CACHED; i++) cached.push(await time(`${format}-1`));
      results[format] = { cold: median(colds), cached: median(cached), stall: loop.max / 1e6 };
    }

    const { jpeg: j, heic: h } = results;
    console.log(`\nload average at start: ${load}; source ${(jpeg.length / 1e6).toFixed(1)} MB JPEG, ${(heic.length / 1e6).toFixed(1)} MB HEIC`);
    console.log("| 4032×3024 → 400 px WebP | JPEG (baseline) | HEIC | HEIC ÷ JPEG |");
    console.log("|---|---|---|---|");
    console.log(`| cold rendition (median of ${COLD - 1}) | ${ms(j.cold)} | ${ms(h.cold)} | ${(h.cold / j.cold).toFixed(1)}× |`);
    console.log(`| cached rendition (median of ${CACHED}) | ${ms(j.cached)} | ${ms(h.cached)} | ${(h.cached / j.cached).toFixed(1)}× |`);
    console.log(`| longest event-loop stall during cold renders | ${ms(j.stall)} | ${ms(h.stall)} | ${(h.stall / j.stall).toFixed(1)}× |`);
  } finally {
    await tp.close();
  }
}

await main();
