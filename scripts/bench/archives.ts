import { existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { ZipStreamWriter } from "./zip-writer.ts";

/** Fixtures are generated once and reused across runs (bump the version when their recipe changes). */
export const CACHE_DIR = join(tmpdir(), "shoebox-bench");
const RECIPE = "v1";

export interface ArchiveSpec {
  name: string;
  deflate: boolean;
  /** Total bytes of the files inside (what an extraction writes). */
  contentBytes: number;
  /** Each file is this large ± 1/6 (photos of one camera vary in size). */
  fileBytes: number;
  /** In --quick runs. */
  quick: boolean;
  /** Only when named with --only (its run takes minutes). */
  onDemand?: boolean;
  /** Written in zip64 form (needed past 4 GiB). */
  zip64?: boolean;
  /**
   * Run only through the segmented protocol under unchanged Free limits: the single-request runners
   * would need /tmp lifted past the archive (5 GB), and a baseline would hold it in memory.
   * `directory`: only the directory request is timed (its 100,000 uploads are not the point).
   */
  segmented?: "upload" | "directory";
}

export interface Archive extends ArchiveSpec {
  path: string;
  archiveBytes: number;
  files: number;
}

const MB = 1_000_000;

export const ARCHIVES: ArchiveSpec[] = [
  { name: "stored-100m", deflate: false, contentBytes: 100 * MB, fileBytes: 3 * MB, quick: true },
  { name: "deflated-100m", deflate: true, contentBytes: 100 * MB, fileBytes: 3 * MB, quick: true },
  { name: "stored-1g", deflate: false, contentBytes: 1000 * MB, fileBytes: 3 * MB, quick: false },
  { name: "deflated-1g", deflate: true, contentBytes: 1000 * MB, fileBytes: 3 * MB, quick: false },
  { name: "small-10k", deflate: true, contentBytes: 10_000 * 20_000, fileBytes: 20_000, quick: true },
  // 70,000 entries must fit the memory limit (the directory, its rows, the walk); on demand, as 70,000
  // uploads take minutes.
  { name: "entries-70k", deflate: false, contentBytes: 70_000 * 2_000, fileBytes: 2_000, quick: false, onDemand: true },
  // Segmented upload targets: archives many times one invocation's /tmp, under the Free limits.
  { name: "stored-5g-zip64", deflate: false, contentBytes: 5000 * MB, fileBytes: 3 * MB, quick: false, zip64: true, segmented: "upload" },
  { name: "small-50k", deflate: true, contentBytes: 50_000 * 20_000, fileBytes: 20_000, quick: false, segmented: "upload" },
  { name: "entries-100k", deflate: false, contentBytes: 100_000 * 100, fileBytes: 100, quick: true, segmented: "directory" },
];

/** The archive on disk, generating it first if the cache does not have it yet. */
export async function ensureArchive(spec: ArchiveSpec, log: (line: string) => void): Promise<Archive> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const path = join(CACHE_DIR, `${spec.name}-${RECIPE}.zip`);
  if (!existsSync(path)) {
    log(`generating ${path} …`);
    const started = performance.now();
    const partial = `${path}.partial`; // renamed only when complete, so an interrupted run never leaves a bad fixture
    rmSync(partial, { force: true });
    await writeArchive(spec, partial);
    renameSync(partial, path);
    log(`  ${(statSync(path).size / MB).toFixed(0)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return { ...spec, path, archiveBytes: statSync(path).size, files: fileSizes(spec).length };
}

async function writeArchive(spec: ArchiveSpec, path: string): Promise<void> {
  const zip = new ZipStreamWriter(path, spec.zip64);
  const sizes = fileSizes(spec);
  const digits = String(sizes.length).length + 1;
  for (const [i, size] of sizes.entries()) {
    const folder = spec.fileBytes < MB ? `Trip/Day ${1 + Math.floor(i / 500)}` : "Holiday 2024";
    await zip.add(`${folder}/IMG_${String(i + 1).padStart(digits, "0")}.jpg`, photoLike(size), spec.deflate);
  }
  await zip.close();
}

/** Deterministic sizes around `fileBytes`, `contentBytes / fileBytes` of them (total within a few %). */
function fileSizes(spec: ArchiveSpec): number[] {
  const count = Math.round(spec.contentBytes / spec.fileBytes);
  // Golden-ratio steps spread the wobble evenly over -0.5 … 0.5 without an RNG, so sizes are stable.
  return Array.from({ length: count }, (_, i) => Math.round(spec.fileBytes * (1 + (((i * 0.618034) % 1) - 0.5) / 3)));
}

// A JPEG start (SOI + APP0 "JFIF") so the magic-byte sniffer accepts the file as image/jpeg.
const JPEG_HEAD = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x48, 0x00, 0x48, 0x00, 0x00,
]);
const BLOCK = 4096;

/**
 * Photo-like bytes: a JPEG header, then 4 KiB blocks of which ~70 % are random (like entropy-coded image
 * data) and ~30 % use only 16 byte values (like flat sky), so deflate shrinks a file to roughly 85 %.
 */
export function photoLike(size: number): Buffer {
  const data = randomBytes(size);
  JPEG_HEAD.copy(data, 0, 0, Math.min(size, JPEG_HEAD.length));
  for (let at = BLOCK; at < size; at += BLOCK) {
    if (data[at] % 10 >= 3) continue;
    const end = Math.min(size, at + BLOCK);
    for (let i = at; i < end; i++) data[i] &= 0x0f;
  }
  if (size >= 2) data.writeUInt16BE(0xffd9, size - 2); // EOI
  return data;
}
