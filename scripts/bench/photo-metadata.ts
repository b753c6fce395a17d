// What reading a photo's metadata costs the album-upload function (docs/architecture.md#photo-metadata):
// real 4000×3000 JPEGs made with sharp — with EXIF (date, offset, camera, orientation) and without — are
// stored in a zip on disk; inside Deno, photo-metadata-timing.ts times the metadata step the extraction
// runs per photo over a few hundred of their prefixes, beside a baseline measured in the same run
// (reading those prefixes from the file). Target: at most 0.1 ms of CPU per photo.
// Run: `npm run bench -- --only photo-metadata`, or node --import tsx scripts/bench/photo-metadata.ts
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import sharp from "sharp";
import { writeZip } from "../../test/support/zip-writer.ts";
import { CACHE_DIR } from "./archives.ts";

export const TARGET_MS_PER_PHOTO = 0.1;
const PHOTOS_WITH_EXIF = 8;
const PHOTOS_WITHOUT_EXIF = 4;
const TIMED_PHOTOS = 400;
const ROUNDS = 5;
/** Stored entries reach the tap as one 1 MiB chunk; inflated ones in pieces of about 16 KiB. */
const CHUNK_BYTES = [1024 * 1024, 16 * 1024];

const ROOT = resolve(import.meta.dirname, "../..");
const CAMERAS = [["Apple", "iPhone 15 Pro"], ["samsung", "Galaxy S24"], ["Google", "Pixel 8"], ["FUJIFILM", "X100V"]];

/** A photo-like 4000×3000 JPEG (smooth noise, about 3 MB), with EXIF as phones write it or none. */
async function photo(i: number, exif: boolean): Promise<Buffer> {
  const noise = await sharp({ create: { width: 800, height: 600, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 40 } } }).raw().toBuffer();
  let image = sharp(noise, { raw: { width: 800, height: 600, channels: 3 } }).resize(4000, 3000, { kernel: "cubic" });
  if (exif) {
    const [make, model] = CAMERAS[i % CAMERAS.length];
    image = image.withMetadata({ orientation: i % 2 ? 6 : 1 }).withExif({
      IFD0: { Make: make, Model: model },
      IFD2: { DateTimeOriginal: `2024:07:${String(10 + i).padStart(2, "0")} 1${i % 10}:05:09`, OffsetTimeOriginal: "+02:00" },
    });
  }
  return image.jpeg({ quality: 85 }).toBuffer();
}

interface Figures {
  figures: Record<string, { cpuMsPerPhoto: number; wallMsPerPhoto: number }>;
  sample: Record<string, unknown>;
  deno: string;
}

export async function benchPhotoMetadata(log: (line: string) => void = console.log): Promise<string[]> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const zipPath = join(CACHE_DIR, "photo-metadata.zip");
  log(`generating ${PHOTOS_WITH_EXIF + PHOTOS_WITHOUT_EXIF} 4000×3000 JPEGs with sharp …`);
  const specs = [];
  for (let i = 0; i < PHOTOS_WITH_EXIF + PHOTOS_WITHOUT_EXIF; i++) {
    const exif = i < PHOTOS_WITH_EXIF;
    specs.push({ name: `IMG_${String(i).padStart(4, "0")}.JPG`, data: await photo(i, exif), exif, modified: new Date(Date.UTC(2024, 6, 1, 12, i)) });
  }
  const zip = writeZip(specs, specs.map((s) => s.data));
  writeFileSync(zipPath, zip);
  // Stored entries: each local header is 30 bytes plus the name, then the photo.
  const photos = [];
  let at = 0;
  for (const s of specs) {
    photos.push({ header: at, data: at + 30 + s.name.length, exif: s.exif });
    at += 30 + s.name.length + s.data.length;
  }
  const averageBytes = specs.reduce((n, s) => n + s.data.length, 0) / specs.length;
  const input = { zip: zipPath, photos, count: TIMED_PHOTOS, rounds: ROUNDS, chunkBytes: CHUNK_BYTES };
  const output = execFileSync(join(ROOT, "node_modules/.bin/deno"), [
    "run", "--cached-only", "--node-modules-dir=manual", "--config", join(ROOT, "supabase/functions/album-upload/deno.json"),
    "--allow-read", "--allow-env", join(ROOT, "scripts/bench/photo-metadata-timing.ts"), JSON.stringify(input),
  ], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 20 });
  const result = JSON.parse(output.trim().split("\n").pop()!) as Figures;
  return report(result, averageBytes);
}

function report({ figures, sample, deno }: Figures, averageBytes: number): string[] {
  const base = figures.baseline;
  const row = (label: string, t: { cpuMsPerPhoto: number; wallMsPerPhoto: number }) =>
    `| ${label} | ${t.cpuMsPerPhoto.toFixed(4)} | ${t.wallMsPerPhoto.toFixed(4)} | ${(t.cpuMsPerPhoto / base.cpuMsPerPhoto).toFixed(2)}× |`;
  const lines = [
    `${TIMED_PHOTOS} photo prefixes of ${PHOTOS_WITH_EXIF} + ${PHOTOS_WITHOUT_EXIF} real 4000×3000 JPEGs (${(averageBytes / 1e6).toFixed(1)} MB on average) per round, ` +
      `median of ${ROUNDS} rounds after a warm-up, Deno ${deno}. CPU is the process's user + system time over the loop (one JavaScript thread doing the work).`,
    ``,
    `| step, per photo | CPU ms | wall ms | × baseline CPU |`,
    `|---|---|---|---|`,
    row(`baseline: read the ${128} KiB prefix from the zip on disk`, base),
  ];
  const worst: number[] = [];
  for (const chunk of CHUNK_BYTES) {
    const size = chunk >= 1024 * 1024 ? `${chunk / 1024 / 1024} MiB` : `${chunk / 1024} KiB`;
    const exif = figures[`exif@${chunk}`], plain = figures[`plain@${chunk}`];
    lines.push(row(`metadata, EXIF photo (tap in ${size} chunks, exifr, frame size)`, exif));
    lines.push(row(`metadata, photo without EXIF (tap in ${size} chunks, frame size, zip entry date)`, plain));
    worst.push(exif.cpuMsPerPhoto, plain.cpuMsPerPhoto);
  }
  const max = Math.max(...worst);
  lines.push(
    ``,
    `Read back: ${JSON.stringify(sample.exif)}; without EXIF: ${JSON.stringify(sample.plain)}`,
    ``,
    `${max <= TARGET_MS_PER_PHOTO ? "PASS" : "FAIL"} metadata ≤ ${TARGET_MS_PER_PHOTO} ms CPU per photo: worst ${max.toFixed(4)} ms ` +
      `(${(max / base.cpuMsPerPhoto).toFixed(2)}× reading the prefix)`,
  );
  return lines;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const lines = await benchPhotoMetadata();
  console.log(["", "## Photo metadata", "", ...lines].join("\n"));
}
