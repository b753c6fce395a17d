// Runs inside Deno (the function's runtime), started by photo-metadata.ts: times the album-upload
// function's metadata step (supabase/functions/album-upload/photo-metadata.ts) over the photos of a
// stored zip on disk, beside a baseline measured in the same process — reading each photo's prefix from
// the file, which the extraction does anyway. Prints one JSON line of figures.
// Only node: APIs, so the project's TypeScript check reads it like the rest of scripts/.
import { closeSync, openSync, readSync } from "node:fs";
import process from "node:process";
import { METADATA_PREFIX_BYTES, MetadataTap, type PhotoMetadata } from "../../supabase/functions/album-upload/photo-metadata.ts";
import type { RandomAccess } from "../../supabase/functions/album-upload/central-directory.ts";

interface Input {
  zip: string;
  /** Local header offset, data offset and content type of each photo, in archive order. */
  photos: { header: number; data: number; exif: boolean }[];
  /** Photos timed per round (cycling over the archive's), rounds (the median is kept). */
  count: number;
  rounds: number;
  /** Chunk size the tap sees: 1 MiB for stored entries (one chunk), 16 KiB-ish for inflated ones. */
  chunkBytes: number[];
}

const input = JSON.parse(process.argv[process.argv.length - 1]) as Input;
const fd = openSync(input.zip, "r");
const file: RandomAccess = {
  size: Number.MAX_SAFE_INTEGER,
  readUint8Array(offset: number, length: number) {
    const out = new Uint8Array(length);
    const read = readSync(fd, out, 0, length, offset);
    return Promise.resolve(out.subarray(0, read));
  },
};

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Fresh prefix buffers, as the extraction reads them: the baseline's work, and the step's input. */
function readPrefixes(count: number, withExif: boolean): { prefixes: Uint8Array[]; headers: number[] } {
  const pool = input.photos.filter((p) => p.exif === withExif);
  const prefixes: Uint8Array[] = [], headers: number[] = [];
  for (let i = 0; i < count; i++) {
    const photo = pool[i % pool.length];
    const prefix = new Uint8Array(METADATA_PREFIX_BYTES);
    readSync(fd, prefix, 0, prefix.length, photo.data);
    prefixes.push(prefix);
    headers.push(photo.header);
  }
  return { prefixes, headers };
}

async function metadataStep(prefixes: Uint8Array[], headers: number[], chunkBytes: number): Promise<PhotoMetadata[]> {
  const found: PhotoMetadata[] = [];
  for (let i = 0; i < prefixes.length; i++) {
    const tap = new MetadataTap("image/jpeg");
    const prefix = prefixes[i];
    for (let at = 0; at < prefix.length; at += chunkBytes) tap.add(prefix.subarray(at, at + chunkBytes));
    found.push(await tap.read(file, headers[i]));
  }
  return found;
}

interface Timing { cpuMsPerPhoto: number; wallMsPerPhoto: number }

async function time(work: () => unknown | Promise<unknown>, photos: number): Promise<Timing> {
  const cpu = cpuMs(), wall = performance.now();
  await work();
  return { cpuMsPerPhoto: (cpuMs() - cpu) / photos, wallMsPerPhoto: (performance.now() - wall) / photos };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const rounds: Record<string, Timing[]> = {};
const record = (name: string, t: Timing) => (rounds[name] ??= []).push(t);
let sample: Record<string, PhotoMetadata> = {};

// One warm-up round (JIT, exifr's first parse), then the measured ones.
for (let round = 0; round <= input.rounds; round++) {
  let exifInput: ReturnType<typeof readPrefixes> | undefined, plainInput: ReturnType<typeof readPrefixes> | undefined;
  const baseline = await time(() => {
    exifInput = readPrefixes(input.count, true);
    plainInput = readPrefixes(input.count, false);
  }, input.count * 2);
  const results: Record<string, Timing> = { baseline };
  for (const chunk of input.chunkBytes) {
    let exif: PhotoMetadata[] = [], plain: PhotoMetadata[] = [];
    results[`exif@${chunk}`] = await time(async () => (exif = await metadataStep(exifInput!.prefixes, exifInput!.headers, chunk)), input.count);
    results[`plain@${chunk}`] = await time(async () => (plain = await metadataStep(plainInput!.prefixes, plainInput!.headers, chunk)), input.count);
    sample = { exif: exif[0], plain: plain[0] };
  }
  if (round > 0) for (const [name, t] of Object.entries(results)) record(name, t);
}
closeSync(fd);

const figures = Object.fromEntries(Object.entries(rounds).map(([name, list]) => [name, {
  cpuMsPerPhoto: median(list.map((t) => t.cpuMsPerPhoto)),
  wallMsPerPhoto: median(list.map((t) => t.wallMsPerPhoto)),
}]));
console.log(JSON.stringify({ figures, sample, deno: (process.versions as Record<string, string | undefined>).deno ?? "?" }));
