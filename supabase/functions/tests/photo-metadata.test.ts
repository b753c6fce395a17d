// The metadata reader on photo prefixes built byte by byte: EXIF in a JPEG (dated with and without an
// offset, turned, truncated, corrupt), none at all, a PNG, a HEIC's properties; the archive dates of a zip
// entry; and the tap that keeps what a streamed photo's metadata needs (for a JPEG, only its head).
import { buildExifTiff, type ExifTags } from "../../../test/support/exif-tiff.ts";
import { archiveModifiedAt, dosTime, extraFieldTime } from "../album-upload/archive-time.ts";
import { JpegHead } from "../album-upload/jpeg-head.ts";
import { exifDate, METADATA_PREFIX_BYTES, MetadataTap, readPhotoMetadata } from "../album-upload/photo-metadata.ts";
import { bmffLayout, pixelSize } from "../album-upload/pixel-size.ts";
import { assert, assertEquals } from "./support/assert.ts";
import { buildZip } from "./support/zip-builder.ts";

const segment = (marker: number, body: Uint8Array) => {
  const out = new Uint8Array(4 + body.length);
  out.set([0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff]);
  out.set(body, 4);
  return out;
};

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A JPEG's structure as cameras write it: SOI, APP1 EXIF (if any), tables, the frame header, a scan. */
function jpeg(width: number, height: number, exif?: ExifTags | Uint8Array, scanBytes = 4096): Uint8Array {
  const app1 = exif === undefined ? [segment(0xe0, new TextEncoder().encode("JFIF\0\x01\x01\0\0\x01\0\x01\0\0"))]
    : [segment(0xe1, concat(new TextEncoder().encode("Exif\0\0"), exif instanceof Uint8Array ? exif : buildExifTiff(exif)))];
  const sof = segment(0xc0, new Uint8Array([8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]));
  const scan = new Uint8Array(scanBytes).map((_, i) => (i * 37) & 0x7f);
  return concat(new Uint8Array([0xff, 0xd8]), ...app1, segment(0xdb, new Uint8Array(65)), sof, segment(0xda, new Uint8Array(10)), scan, new Uint8Array([0xff, 0xd9]));
}

const CAMERA: ExifTags = { make: "Apple", model: "iPhone 15 Pro", orientation: 6, dateTimeOriginal: "2024:07:12 14:05:09", offsetTimeOriginal: "+02:00" };

Deno.test("a JPEG with EXIF: date with its offset, turned a quarter (orientation 6), camera, frame size", async () => {
  assertEquals(await readPhotoMetadata(jpeg(4000, 3000, CAMERA), "image/jpeg"), {
    taken_at: "2024-07-12T12:05:09.000Z", taken_at_source: "exif", width: 4000, height: 3000, orientation: 6,
    camera_make: "Apple", camera_model: "iPhone 15 Pro",
  });
});

Deno.test("an EXIF date without an offset is the camera's wall clock, stored as UTC", async () => {
  const found = await readPhotoMetadata(jpeg(640, 480, { dateTimeOriginal: "2023:12:31 23:59:58", orientation: 8 }), "image/jpeg");
  assertEquals([found.taken_at, found.orientation, found.camera_make], ["2023-12-31T23:59:58.000Z", 8, null]);
});

Deno.test("a JPEG without EXIF has its frame size and nothing else", async () => {
  assertEquals(await readPhotoMetadata(jpeg(1024, 768), "image/jpeg"), {
    taken_at: null, taken_at_source: null, width: 1024, height: 768, orientation: null, camera_make: null, camera_model: null,
  });
});

Deno.test("a truncated EXIF block costs the EXIF fields, never an error", async () => {
  const whole = jpeg(4000, 3000, CAMERA);
  // Cut inside the APP1 segment: neither EXIF nor the frame header survive.
  const found = await readPhotoMetadata(whole.subarray(0, 40), "image/jpeg");
  assertEquals(found.taken_at, null);
  assertEquals([found.width, found.orientation], [null, null]);
});

Deno.test("a corrupt EXIF block (IFD offsets out of range, a bogus date, orientation 42) leaves only what is sound", async () => {
  const tiff = buildExifTiff({ ...CAMERA, dateTimeOriginal: "0000:00:00 00:00:00" });
  const broken = tiff.slice();
  new DataView(broken.buffer).setUint32(4, 0x7fffff00); // IFD0 far past the end
  const unreadable = await readPhotoMetadata(jpeg(800, 600, broken), "image/jpeg");
  assertEquals([unreadable.taken_at, unreadable.camera_make, unreadable.width, unreadable.height], [null, null, 800, 600]);
  const odd = await readPhotoMetadata(jpeg(800, 600, tiff), "image/jpeg");
  assertEquals([odd.taken_at, odd.camera_make, odd.orientation], [null, "Apple", 6]);
  const wrongOrientation = await readPhotoMetadata(jpeg(800, 600, { orientation: 42 }), "image/jpeg");
  assertEquals(wrongOrientation.orientation, null);
  const garbage = await readPhotoMetadata(jpeg(800, 600, new Uint8Array(300).fill(0xa5)), "image/jpeg");
  assertEquals([garbage.taken_at, garbage.width], [null, 800]);
});

Deno.test("a PNG has its IHDR size and no date", async () => {
  const png = concat(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0x0b, 0xb8, 0, 0, 0x0f, 0xa0, 8, 2, 0, 0, 0]), new Uint8Array(64));
  assertEquals(await readPhotoMetadata(png, "image/png"), {
    taken_at: null, taken_at_source: null, width: 3000, height: 4000, orientation: null, camera_make: null, camera_model: null,
  });
});

// ---- HEIC properties --------------------------------------------------------------------------------

function box(type: string, ...payload: Uint8Array[]): Uint8Array {
  const body = concat(...payload);
  const out = new Uint8Array(8 + body.length);
  new DataView(out.buffer).setUint32(0, out.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(body, 8);
  return out;
}
const u32 = (...values: number[]) => {
  const out = new Uint8Array(values.length * 4);
  values.forEach((v, i) => new DataView(out.buffer).setUint32(i * 4, v));
  return out;
};
const ispe = (w: number, h: number) => box("ispe", u32(0, w, h));

/** ftyp + meta with pitm (item 1), three ispe (a tile, the primary, a thumbnail's) and irot for item 1. */
function heicHead(rotation: number | null): Uint8Array {
  const properties = [ispe(512, 512), ispe(4032, 3024), ispe(320, 240), ...(rotation === null ? [] : [box("irot", new Uint8Array([rotation]))])];
  const primary = rotation === null ? [2] : [2, 4];
  const ipma = box("ipma", u32(0, 2), new Uint8Array([0, 1, primary.length, ...primary.map((i) => 0x80 | i)]), new Uint8Array([0, 2, 1, 3]));
  const meta = box("meta", u32(0), box("pitm", u32(0), new Uint8Array([0, 1])), box("iprp", box("ipco", ...properties), ipma));
  return concat(box("ftyp", new TextEncoder().encode("heic\0\0\0\0mif1heic")), meta, box("mdat", new Uint8Array(100)));
}

Deno.test("a HEIC's size is its primary item's ispe, and irot gives the orientation when EXIF does not", async () => {
  assertEquals(bmffLayout(heicHead(3)), { size: { width: 4032, height: 3024 }, orientation: 6, exif: null });
  assertEquals(bmffLayout(heicHead(1)).orientation, 8);
  assertEquals(bmffLayout(heicHead(null)), { size: { width: 4032, height: 3024 }, orientation: null, exif: null });
  const found = await readPhotoMetadata(heicHead(3), "image/heic");
  assertEquals([found.width, found.height, found.orientation, found.taken_at], [4032, 3024, 6, null]);
  assertEquals(bmffLayout(heicHead(3).subarray(0, 50)), { size: null, orientation: null, exif: null }, "a meta box cut short");
});

/**
 * A HEIC laid out as libheif-based tools write it: ftyp, meta (an hvc1 item and an Exif item, both
 * located by iloc), then the coded picture (`pictureBytes` of it) and the Exif item at the very end.
 */
function heicWithExifAtEnd(pictureBytes: number, exif: ExifTags): { file: Uint8Array; exifAt: number } {
  const payload = concat(u32(6), new TextEncoder().encode("Exif\0\0"), buildExifTiff(exif));
  const infe = (id: number, type: string) => box("infe", u32(0x02000000), new Uint8Array([id >> 8, id & 0xff, 0, 0]), new TextEncoder().encode(type), new Uint8Array([0]));
  const meta = (pictureAt: number, exifAt: number) => box("meta", u32(0),
    box("pitm", u32(0), new Uint8Array([0, 1])),
    box("iinf", u32(0), new Uint8Array([0, 2]), infe(1, "hvc1"), infe(2, "Exif")),
    // version 0; offset, length and base offset 4 bytes each; two items of one extent
    box("iloc", u32(0), new Uint8Array([0x44, 0x40, 0, 2]),
      new Uint8Array([0, 1, 0, 0]), u32(0), new Uint8Array([0, 1]), u32(pictureAt, pictureBytes),
      new Uint8Array([0, 2, 0, 0]), u32(0), new Uint8Array([0, 1]), u32(exifAt, payload.length)),
    box("iprp", box("ipco", ispe(4032, 3024)), box("ipma", u32(0, 1), new Uint8Array([0, 1, 1, 0x81]))));
  const ftyp = box("ftyp", new TextEncoder().encode("heic\0\0\0\0mif1heic"));
  const metaLength = meta(0, 0).length;
  const pictureAt = ftyp.length + metaLength + 8;
  const exifAt = pictureAt + pictureBytes;
  const picture = new Uint8Array(pictureBytes).map((_, i) => (i * 131) & 0xff);
  return { file: concat(ftyp, meta(pictureAt, exifAt), box("mdat", picture, payload)), exifAt };
}

Deno.test("a HEIC's Exif item at the end of the file is collected as it streams by", async () => {
  const { file, exifAt } = heicWithExifAtEnd(3 * METADATA_PREFIX_BYTES, CAMERA);
  assertEquals(bmffLayout(file.subarray(0, METADATA_PREFIX_BYTES)).exif?.offset, exifAt);
  for (const size of [16 * 1024, 1024 * 1024, 999]) {
    const tap = new MetadataTap("image/heic");
    for (let at = 0; at < file.length; at += size) tap.add(file.subarray(at, at + size));
    const found = await tap.read(randomAccess(new Uint8Array(0)), 0);
    assertEquals(found, {
      taken_at: "2024-07-12T12:05:09.000Z", taken_at_source: "exif", width: 4032, height: 3024, orientation: 6,
      camera_make: "Apple", camera_model: "iPhone 15 Pro",
    }, `chunks of ${size}`);
  }
  // Cut before its Exif item arrives (a damaged entry): the size still counts, the date does not.
  const cut = new MetadataTap("image/heic");
  cut.add(file.subarray(0, exifAt + 10));
  const partial = await cut.read(randomAccess(new Uint8Array(0)), 0);
  assertEquals([partial.width, partial.taken_at], [4032, null]);
  // Small enough to be read whole: exifr finds the item itself.
  const small = heicWithExifAtEnd(1000, CAMERA).file;
  const whole = new MetadataTap("image/heic");
  whole.add(small);
  assertEquals((await whole.read(randomAccess(new Uint8Array(0)), 0)).taken_at, "2024-07-12T12:05:09.000Z");
});

Deno.test("GIF, BMP and WebP sizes come from their headers", () => {
  const gif = concat(new TextEncoder().encode("GIF89a"), new Uint8Array([0x40, 0x01, 0xf0, 0x00]), new Uint8Array(20));
  assertEquals(pixelSize(gif, "image/gif"), { width: 320, height: 240 });
  const bmp = new Uint8Array(54);
  bmp.set([0x42, 0x4d]);
  new DataView(bmp.buffer).setUint32(14, 40, true);
  new DataView(bmp.buffer).setInt32(18, 100, true);
  new DataView(bmp.buffer).setInt32(22, -50, true);
  assertEquals(pixelSize(bmp, "image/bmp"), { width: 100, height: 50 });
  const webp = concat(new TextEncoder().encode("RIFF\0\0\0\0WEBPVP8X"), new Uint8Array([10, 0, 0, 0, 0, 0, 0, 0, 0xff, 0x0f, 0, 0xb7, 0x0b, 0]));
  assertEquals(pixelSize(webp, "image/webp"), { width: 4096, height: 3000 });
});

// ---- dates ------------------------------------------------------------------------------------------

Deno.test("EXIF dates: offsets either way, impossible dates refused", () => {
  assertEquals(exifDate("2024:07:12 14:05:09", "-05:30"), "2024-07-12T19:35:09.000Z");
  assertEquals(exifDate("2024:07:12 14:05:09", "garbage"), "2024-07-12T14:05:09.000Z");
  assertEquals(exifDate("2024-07-12T14:05:09", "+0100"), "2024-07-12T13:05:09.000Z", "hyphens, T and an offset without a colon");
  assertEquals(exifDate("2023:02:29 10:00:00", null), null);
  assertEquals(exifDate("2024:13:01 10:00:00", null), null);
  assertEquals(exifDate("    :  :     :  :  ", null), null);
  assertEquals(exifDate(1720793109, null), null);
});

Deno.test("zip dates: DOS fields as UTC, the extended timestamp and NTFS time preferred", () => {
  assertEquals(dosTime(((2023 - 1980) << 9) | (5 << 5) | 17, (8 << 11) | (30 << 5) | 21), "2023-05-17T08:30:42.000Z");
  assertEquals(dosTime(0, 0), null);
  assertEquals(dosTime(((2023 - 1980) << 9) | (2 << 5) | 30, 0), null);
  const ut = new Uint8Array([0x55, 0x54, 5, 0, 1, 0, 0, 0, 0]);
  new DataView(ut.buffer).setInt32(5, Date.UTC(2022, 0, 2, 3, 4, 5) / 1000, true);
  assertEquals(extraFieldTime(ut), "2022-01-02T03:04:05.000Z");
  const ntfs = new Uint8Array(36);
  const v = new DataView(ntfs.buffer);
  v.setUint16(0, 0x000a, true);
  v.setUint16(2, 32, true);
  v.setUint16(8, 1, true);
  v.setUint16(10, 24, true);
  const filetime = BigInt(Date.UTC(2021, 6, 8, 9, 10, 11)) * 10_000n + 116_444_736_000_000_000n;
  v.setBigUint64(12, filetime, true);
  assertEquals(extraFieldTime(ntfs), "2021-07-08T09:10:11.000Z");
  assertEquals(extraFieldTime(new Uint8Array([0x55, 0x54, 1, 0, 0])), null, "no modification time flagged");
});

/** The zip's bytes as the function reads a spooled archive. */
const randomAccess = (bytes: Uint8Array) => ({
  size: bytes.length,
  readUint8Array: (offset: number, length: number) => Promise.resolve(bytes.subarray(offset, offset + length)),
});

Deno.test("a zip entry's modification time is read from its local header", async () => {
  const zip = await buildZip([
    { name: "a.jpg", data: jpeg(10, 10), modified: new Date("2019-03-04T05:06:08Z") },
    { name: "b.jpg", data: jpeg(10, 10), modified: new Date("2019-03-04T05:06:08Z"), extendedTimestamp: new Date("2018-01-01T00:00:01Z") },
  ]);
  const file = randomAccess(zip);
  const second = 30 + "a.jpg".length + jpeg(10, 10).length; // the first entry is stored, with no extra field
  assertEquals(await archiveModifiedAt(file, 0), "2019-03-04T05:06:08.000Z");
  assertEquals(await archiveModifiedAt(file, second), "2018-01-01T00:00:01.000Z");
  assertEquals(await archiveModifiedAt(file, 7), null, "no local header there");
  assertEquals(await archiveModifiedAt(file, zip.length + 10), null, "past the end");
});

// ---- the tap ----------------------------------------------------------------------------------------

Deno.test("the tap keeps only the first bytes of a photo streamed in small chunks, and reads its EXIF", async () => {
  const photo = jpeg(4000, 3000, CAMERA, 3 * METADATA_PREFIX_BYTES);
  const tap = new MetadataTap("image/jpeg");
  for (let at = 0; at < photo.length; at += 1000) tap.add(photo.subarray(at, at + 1000));
  const zip = await buildZip([{ name: "a.jpg", data: photo, modified: new Date("2019-03-04T05:06:08Z") }]);
  const found = await tap.read(randomAccess(zip), 0);
  assertEquals([found.taken_at, found.taken_at_source, found.width], ["2024-07-12T12:05:09.000Z", "exif", 4000]);
});

Deno.test("without an EXIF date the tap answers the zip entry's modification time", async () => {
  const photo = jpeg(640, 480);
  const zip = await buildZip([{ name: "a.jpg", data: photo, method: "deflate", modified: new Date("2020-08-09T10:11:12Z") }]);
  const tap = new MetadataTap("image/jpeg");
  tap.add(photo);
  const found = await tap.read(randomAccess(zip), 0);
  assertEquals([found.taken_at, found.taken_at_source, found.width, found.height], ["2020-08-09T10:11:12.000Z", "archive", 640, 480]);
  const nothing = new MetadataTap("image/jpeg");
  assert((await nothing.read(randomAccess(new Uint8Array(10)), 0)).taken_at === null, "no prefix, no header: no date");
});

// ---- the JPEG head ----------------------------------------------------------------------------------

/** A phone-like JPEG head: JFIF, XMP before EXIF, EXIF, a 40 KB APP2 (an MPF or ICC block), then the frame. */
function phoneLikeJpeg(extraApp2 = 1): { photo: Uint8Array; exif: Uint8Array; frame: Uint8Array } {
  const exif = segment(0xe1, concat(new TextEncoder().encode("Exif\0\0"), buildExifTiff(CAMERA)));
  const frame = segment(0xc0, new Uint8Array([8, 0x0b, 0xb8, 0x0f, 0xa0, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]));
  const photo = concat(
    new Uint8Array([0xff, 0xd8]),
    segment(0xe0, new TextEncoder().encode("JFIF\0\x01\x01\0\0\x01\0\x01\0\0")),
    segment(0xe1, new TextEncoder().encode("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>")),
    exif,
    ...Array.from({ length: extraApp2 }, () => segment(0xe2, new Uint8Array(40_000).fill(0x11))),
    new Uint8Array([0xff, 0xff]), // a fill byte before the next marker
    segment(0xdb, new Uint8Array(65)),
    frame,
    segment(0xda, new Uint8Array(10)),
    new Uint8Array(200_000).fill(0x3c),
  );
  return { photo, exif, frame };
}

Deno.test("the JPEG head keeps only SOI, the EXIF segment and the frame header, however the chunks fall", async () => {
  const { photo, exif, frame } = phoneLikeJpeg();
  const expected = concat(new Uint8Array([0xff, 0xd8]), exif, frame, new Uint8Array([0xff, 0xd9]));
  for (const size of [1, 7, 4096, 16 * 1024, photo.length]) {
    const head = new JpegHead();
    let at = 0;
    while (!head.done && at < photo.length) {
      head.add(photo.subarray(at, at + size));
      at += size;
    }
    assert(head.done, `chunks of ${size}: the frame header was found`);
    assertEquals([...head.bytes()], [...expected], `chunks of ${size}`);
    const tap = new MetadataTap("image/jpeg");
    for (let from = 0; from < photo.length; from += size) tap.add(photo.subarray(from, from + size));
    const found = await tap.read(randomAccess(new Uint8Array(0)), 0);
    assertEquals([found.taken_at, found.width, found.height, found.orientation, found.camera_model],
      ["2024-07-12T12:05:09.000Z", 4000, 3000, 6, "iPhone 15 Pro"], `tap with chunks of ${size}`);
  }
});

Deno.test("a frame header past the first 128 KiB costs the pixel size, not the EXIF", async () => {
  const { photo } = phoneLikeJpeg(4);
  const tap = new MetadataTap("image/jpeg");
  for (let at = 0; at < photo.length; at += 16 * 1024) tap.add(photo.subarray(at, at + 16 * 1024));
  const found = await tap.read(randomAccess(new Uint8Array(0)), 0);
  assertEquals([found.taken_at, found.camera_make, found.width], ["2024-07-12T12:05:09.000Z", "Apple", null]);
});

Deno.test("bytes that are not a JPEG end the head at once", () => {
  const head = new JpegHead();
  assert(head.add(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0])));
  assertEquals([...head.bytes()], [0xff, 0xd8, 0xff, 0xd9]);
  const corrupt = new JpegHead();
  assert(corrupt.add(new Uint8Array([0xff, 0xd8, 0x12, 0x34, 0, 0])), "no marker where a segment should start");
});

Deno.test("the tap keeps only a PNG's header, and reads its size from it", async () => {
  const png = concat(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0x01, 0x2c, 0, 0, 0x01, 0x90, 8, 6, 0, 0, 0]), new Uint8Array(300_000));
  const tap = new MetadataTap("image/png");
  for (let at = 0; at < png.length; at += 10) tap.add(png.subarray(at, at + 10));
  const found = await tap.read(randomAccess(new Uint8Array(0)), 0);
  assertEquals([found.width, found.height, found.taken_at], [300, 400, null]);
});
