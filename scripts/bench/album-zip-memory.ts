// Memory of the album zip built in the browser (docs/architecture.md#downloading-photos-as-a-zip): the
// real lib/album-zip-download.ts and zip.js write a zip of N photos of 3.5 MB into a stream that only
// counts bytes (as a file on disk would take them), fed by an in-process fetch that hands out a fresh
// copy of a photo per request. Memory above the start (JS heap + ArrayBuffers) is measured two ways while
// it runs: the peak of samples every 5 ms (garbage not yet collected included), and what is still held
// right after a forced collection every 20 photos (what the pipeline really keeps; the median is reported). For a small album and
// one ten times larger, "flat" means neither figure grows with the album's size. The baseline in the same run is what the photos fetched ahead must hold
// (AHEAD + 1 photos). No network or Storage: this measures the zip pipeline, not the transfer.
// Run: node --import tsx --expose-gc scripts/bench/album-zip-memory.ts [--photos 40,400]
import { parseArgs } from "node:util";
import { AHEAD, writeAlbumZip, type ZipPhoto } from "../../lib/album-zip-download.ts";

const PHOTO_BYTES = 3.5 * 1024 * 1024;
const { values } = parseArgs({ options: { photos: { type: "string", default: "40,400" } } });
const sizes = values.photos.split(",").map(Number);

const photo = Uint8Array.from({ length: PHOTO_BYTES }, (_, i) => (i * 2654435761) >>> 24);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const gc = (globalThis as { gc?: () => void }).gc;

async function run(count: number): Promise<{ peak: number; held: number; heldLast: number; seconds: number; zipBytes: number }> {
  gc?.();
  const start = used();
  let peak = 0;
  const helds: number[] = [];
  const sample = () => void (peak = Math.max(peak, used() - start));
  const timer = setInterval(sample, 5);
  let zipBytes = 0;
  const sink = new WritableStream<Uint8Array>({ write: (chunk) => void (zipBytes += chunk.length, sample()) });
  const photos: ZipPhoto[] = Array.from({ length: count }, (_, i) => ({ name: `Day ${1 + (i % 3)}/IMG_${i}.JPG`, path: `o/a/${i}.jpg`, size: PHOTO_BYTES }));
  const fakeFetch = (async () => new Response(photo.slice())) as typeof fetch;
  const began = performance.now();
  await writeAlbumZip(photos, sink, {
    sign: async (paths) => new Map(paths.map((p) => [p, `https://storage.test/${p}`])),
    fetch: fakeFetch,
    onProgress: (progress) => {
      sample();
      if (!gc || progress.photosDone % 20 !== 10) return;
      gc();
      helds.push(used() - start);
    },
  });
  clearInterval(timer);
  // The median: each sample also holds whatever photos were in flight at that moment (0 to AHEAD of them).
  const sorted = [...helds].sort((a, b) => a - b);
  const held = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return { peak, held, heldLast: helds.at(-1) ?? 0, seconds: (performance.now() - began) / 1000, zipBytes };
}

if (!gc) console.log("Run with --expose-gc to measure what is held after collections.");
await run(5); // warm-up: zip.js and the JIT settle before anything is measured
const baseline = (AHEAD + 1) * PHOTO_BYTES;
console.log(`Baseline: the ${AHEAD} photos fetched ahead plus the one being written hold ${mb(baseline)} MB.`);
const results = [];
for (const count of sizes) {
  const r = await run(count);
  results.push(r);
  console.log(
    `${String(count).padStart(5)} photos, zip ${mb(r.zipBytes).padStart(7)} MB in ${r.seconds.toFixed(1)} s: ` +
      `sampled peak +${mb(r.peak)} MB (${(r.peak / baseline).toFixed(2)}× the baseline); after collections +${mb(r.held)} MB median, +${mb(r.heldLast)} MB at the end`,
  );
}
if (results.length >= 2) {
  const [small, large] = [results[0], results.at(-1)!];
  console.log(`Album ${(large.zipBytes / small.zipBytes).toFixed(1)}× larger → sampled peak ${(large.peak / small.peak).toFixed(2)}× (flat ≈ 1; garbage awaiting collection makes it vary between runs).`);
}
