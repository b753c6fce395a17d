// Photo metadata on the entry rows (docs/architecture.md#photo-metadata), through supabase-js against the
// local platform: real photos made with sharp (one a full 4000×3000 phone-sized JPEG turned by EXIF
// orientation 6) and elheif (iPhone-shaped HEICs, one with EXIF, one turned only by its irot property), a
// JPEG and a PNG without EXIF dated only by their zip entries, extracted by the single request and by segments alike; the owner reads the fields, the
// progress events carry the date taken.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import sharp from "sharp";
import type { AlbumEntryRow } from "../../lib/database.types.ts";
import { buildHeic } from "../support/heic.ts";
import { AlbumFeed, createAlbum, postArchive, waitForEnd, type User } from "./support/album-run.ts";
import { bufferSource, uploadSegmented } from "./support/segmented-upload.ts";
import { withPlatform } from "./support/platform.ts";
import { buildZip, type ZipEntrySpec } from "./support/zip-builder.ts";

type Metadata = Pick<AlbumEntryRow, "taken_at" | "taken_at_source" | "width" | "height" | "orientation" | "camera_make" | "camera_model">;

/** A photo-like 4000×3000 JPEG (smooth noise, ~3 MB) as a phone held upright writes it: orientation 6. */
async function phoneJpeg(): Promise<Buffer> {
  const noise = await sharp({ create: { width: 800, height: 600, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 40 } } }).raw().toBuffer();
  return sharp(noise, { raw: { width: 800, height: 600, channels: 3 } })
    .resize(4000, 3000, { kernel: "cubic" })
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Make: "Apple", Model: "iPhone 15 Pro" },
      IFD2: { DateTimeOriginal: "2024:07:12 14:05:09", OffsetTimeOriginal: "+02:00" },
    })
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** A small JPEG whose EXIF date has no offset (most cameras): read as UTC. */
function cameraJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .withExif({ IFD0: { Make: "FUJIFILM", Model: "X100V" }, IFD2: { DateTimeOriginal: "2024:07:13 08:15:00" } })
    .jpeg()
    .toBuffer();
}

/** sharp writes no metadata unless asked: these photos carry no EXIF at all. */
const plainJpeg = () => sharp({ create: { width: 320, height: 200, channels: 3, background: "#4466aa" } }).jpeg().toBuffer();
const plainPng = () => sharp({ create: { width: 300, height: 400, channels: 4, background: "#00ff0080" } }).png().toBuffer();

const EXPECTED: Record<string, Metadata> = {
  "Day 1/IMG_0001.JPG": {
    taken_at: "2024-07-12T12:05:09+00:00", taken_at_source: "exif", width: 4000, height: 3000, orientation: 6,
    camera_make: "Apple", camera_model: "iPhone 15 Pro",
  },
  "Day 2/DSCF0002.JPG": {
    taken_at: "2024-07-13T08:15:00+00:00", taken_at_source: "exif", width: 640, height: 480, orientation: 1,
    camera_make: "FUJIFILM", camera_model: "X100V",
  },
  "Day 2/IMG_0003.HEIC": {
    taken_at: "2024-07-14T09:30:00+00:00", taken_at_source: "exif", width: 256, height: 192, orientation: 6,
    camera_make: "Apple", camera_model: "iPhone 15 Pro",
  },
  // No EXIF at all: the rotation is its irot property's, the date its zip entry's.
  "Day 2/IMG_0004.HEIC": {
    taken_at: "2024-07-15T07:00:00+00:00", taken_at_source: "archive", width: 256, height: 192, orientation: 8,
    camera_make: null, camera_model: null,
  },
  // Larger than the bytes the reader keeps, with its Exif item at the end of the file (libheif's layout).
  "Day 3/IMG_0005.HEIC": {
    taken_at: "2024-07-16T10:00:00+00:00", taken_at_source: "exif", width: 768, height: 512, orientation: 1,
    camera_make: "Apple", camera_model: "iPhone 13",
  },
  "scans/no-exif.jpg": {
    taken_at: "2023-05-17T08:30:42+00:00", taken_at_source: "archive", width: 320, height: 200, orientation: null,
    camera_make: null, camera_model: null,
  },
  "scans/drawing.png": {
    taken_at: "2022-01-02T03:04:05+00:00", taken_at_source: "archive", width: 300, height: 400, orientation: null,
    camera_make: null, camera_model: null,
  },
};

/** Random pixels: HEVC cannot shrink them, so the file outgrows the reader's first 128 KiB. */
function noisePixels(width: number, height: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  let x = 12345;
  for (let i = 0; i < rgba.length; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    rgba[i] = (i & 3) === 3 ? 255 : x & 0xff;
  }
  return rgba;
}

async function archive(): Promise<Buffer> {
  const heic = await buildHeic({
    width: 256, height: 192, rotation: 270,
    exif: { make: "Apple", model: "iPhone 15 Pro", orientation: 6, dateTimeOriginal: "2024:07:14 11:30:00", offsetTimeOriginal: "+02:00" },
  });
  const large = await buildHeic({
    width: 768, height: 512, rgba: noisePixels(768, 512), exif: { make: "Apple", model: "iPhone 13", orientation: 1, dateTimeOriginal: "2024:07:16 10:00:00" },
  });
  assert.ok(large.length > 200_000, `the large HEIC is ${large.length} bytes`);
  const entries: ZipEntrySpec[] = [
    { name: "Day 1/IMG_0001.JPG", data: await phoneJpeg(), method: "deflate" },
    { name: "Day 2/DSCF0002.JPG", data: await cameraJpeg() },
    { name: "Day 2/IMG_0003.HEIC", data: heic },
    { name: "Day 2/IMG_0004.HEIC", data: await buildHeic({ width: 256, height: 192, rotation: 90 }), modified: new Date("2024-07-15T07:00:00Z") },
    { name: "Day 3/IMG_0005.HEIC", data: large, method: "deflate" },
    // The zip's own dates: DOS fields (no zone, read as UTC), and an extended timestamp that wins over them.
    { name: "scans/no-exif.jpg", data: await plainJpeg(), method: "deflate", modified: new Date("2023-05-17T08:30:42Z") },
    { name: "scans/drawing.png", data: await plainPng(), modified: new Date("2021-01-01T00:00:00Z"), extendedTimestamp: new Date("2022-01-02T03:04:05Z") },
    { name: "notes.txt", data: Buffer.from("not a photo") },
  ];
  return buildZip(entries);
}

interface Stored {
  status: string;
  metadata: Metadata;
}

/** The album's rows as the owner reads them, in date order (the grid's order), by name. */
async function metadataRows(user: User, albumId: string): Promise<Map<string, Stored>> {
  const { data, error } = await user.client.from("album_entries")
    .select("name, status, taken_at, taken_at_source, width, height, orientation, camera_make, camera_model")
    .eq("album_id", albumId).order("taken_at", { ascending: true }).order("idx");
  assert.equal(error, null, error?.message);
  return new Map((data as (Metadata & { name: string; status: string })[]).map(({ name, status, ...metadata }) => [name, { status, metadata }]));
}

/** Timestamps compared as instants (PostgREST answers `+00:00`). */
const instant = (m: Metadata) => ({ ...m, taken_at: m.taken_at && new Date(m.taken_at).toISOString() });

function checkRows(rows: Map<string, Stored>): void {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    const row = rows.get(name);
    assert.ok(row, `no row for ${name}`);
    assert.equal(row.status, "uploaded", name);
    assert.deepEqual(instant(row.metadata), instant(expected), name);
  }
  // Not a photo: skipped, and no camera or pixel size made up for it.
  const notes = rows.get("notes.txt")!;
  assert.deepEqual([notes.status, notes.metadata.width, notes.metadata.camera_make], ["skipped", null, null]);
}

describe("photo metadata on entry rows", () => {
  const platform = withPlatform();
  let zip: Buffer;

  test("the single request stores each photo's date taken, size, orientation and camera, and broadcasts the date", async () => {
    zip = await archive();
    const user = await platform.newUser();
    const album = await createAlbum(user, "Trip");
    const feed = await AlbumFeed.join(user, album.id);
    const answer = await postArchive(platform.url, user.accessToken, album.id, zip);
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    const ended = await waitForEnd(user.client, album.id);
    assert.equal(ended.status, "ready", ended.error ?? "");
    const rows = await metadataRows(user, album.id);
    checkRows(rows);
    // Read in date order, as the grid does (the index on album_id, taken_at, idx serves it).
    assert.deepEqual([...rows.keys()].slice(0, 7), [
      "scans/drawing.png", "scans/no-exif.jpg", "Day 1/IMG_0001.JPG", "Day 2/DSCF0002.JPG", "Day 2/IMG_0003.HEIC", "Day 2/IMG_0004.HEIC",
      "Day 3/IMG_0005.HEIC",
    ]);

    await feed.waitForStatus("ready");
    const events = new Map(feed.progress.flatMap((p) => p.entries).map((e) => [e.name, e]));
    assert.equal(events.get("Day 1/IMG_0001.JPG")?.takenAt, "2024-07-12T12:05:09.000Z");
    assert.equal(events.get("scans/no-exif.jpg")?.takenAt, "2023-05-17T08:30:42.000Z");
    assert.equal(events.get("notes.txt")?.takenAt, undefined);
    await feed.leave();
  });

  test("segments store the same metadata", async () => {
    zip ??= await archive();
    const user = await platform.newUser();
    const album = await createAlbum(user, "Trip by segments");
    const run = await uploadSegmented({ url: platform.url, accessToken: user.accessToken, albumId: album.id }, bufferSource(zip));
    assert.equal(run.directory.status, 200, JSON.stringify(run.directory.body));
    const ended = await waitForEnd(user.client, album.id);
    assert.equal(ended.status, "ready", ended.error ?? "");
    checkRows(await metadataRows(user, album.id));
  });

  test("another user reads none of it", async () => {
    const stranger = await platform.newUser();
    const { data, error } = await stranger.client.from("album_entries").select("taken_at, camera_make");
    assert.equal(error, null);
    assert.deepEqual(data, []);
  });
});
