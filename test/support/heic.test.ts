import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import exifr from "exifr";
import { buildHeic, corruptHeic, decodeHeic, QUADRANT_COLOURS, withStatedSize } from "./heic.ts";
import { sniffImageType } from "../../supabase/functions/_shared/image-sniff.ts";

// libheif-js is a separate build of libheif from the one inside elheif, so it checks the files independently.
const libheif = createRequire(import.meta.url)("libheif-js/wasm-bundle");

async function decodeWithLibheif(heic: Uint8Array): Promise<{ width: number; height: number; rgba: Uint8ClampedArray | null }> {
  const [image] = new libheif.HeifDecoder().decode(heic);
  const width: number = image.get_width();
  const height: number = image.get_height();
  const shown = await new Promise<{ data: Uint8ClampedArray } | null>((resolve) => image.display({ data: new Uint8ClampedArray(width * height * 4), width, height }, resolve));
  return { width, height, rgba: shown?.data ?? null };
}

const near = (actual: ArrayLike<number>, expected: readonly number[]) => expected.every((v, i) => Math.abs(actual[i] - v) <= 8);

test("a built HEIC is an HEVC-coded heic file with one image that decodes to the pixels given", async () => {
  const heic = await buildHeic({ width: 64, height: 48 });
  assert.equal(sniffImageType(heic.subarray(0, 64)), "image/heic");
  assert.equal(new TextDecoder().decode(heic.subarray(8, 12)), "heic");
  assert.ok(new TextDecoder("latin1").decode(heic).includes("hvc1"), "the image item is hvc1");
  const { width, height, rgba } = await decodeWithLibheif(heic);
  assert.deepEqual([width, height], [64, 48]);
  assert.ok(rgba);
  assert.ok(near(rgba.subarray(0, 3), QUADRANT_COLOURS[0]), `top-left ${[...rgba.subarray(0, 3)]}`);
  const bottomRight = ((height - 1) * width + width - 1) * 4;
  assert.ok(near(rgba.subarray(bottomRight, bottomRight + 3), QUADRANT_COLOURS[3]));
});

test("rotation is an irot property that decoders apply, and EXIF tags are readable by exifr", async () => {
  const heic = await buildHeic({ width: 64, height: 48, rotation: 90, exif: { orientation: 6, dateTimeOriginal: "2024:07:12 09:30:05", offsetTimeOriginal: "+02:00", make: "Apple", model: "iPhone 15 Pro" } });
  const shown = await decodeWithLibheif(heic);
  assert.deepEqual([shown.width, shown.height], [48, 64]);
  // A quarter turn anticlockwise brings the top-right (green) quadrant to the top left.
  assert.ok(shown.rgba && near(shown.rgba.subarray(0, 3), QUADRANT_COLOURS[1]));
  const elheifView = await decodeHeic(heic);
  assert.deepEqual([elheifView.width, elheifView.height], [48, 64]);

  const tags = await exifr.parse(Buffer.from(heic), { pick: ["Orientation", "DateTimeOriginal", "OffsetTimeOriginal", "Make", "Model"], reviveValues: false, translateValues: false });
  assert.deepEqual(tags, { Orientation: 6, DateTimeOriginal: "2024:07:12 09:30:05", OffsetTimeOriginal: "+02:00", Make: "Apple", Model: "iPhone 15 Pro" });
});

test("a corrupted HEIC still sniffs as HEIC and states its size, but does not decode", async () => {
  const corrupt = corruptHeic(await buildHeic({ width: 64, height: 48 }));
  assert.equal(sniffImageType(corrupt.subarray(0, 64)), "image/heic");
  const shown = await decodeWithLibheif(corrupt);
  assert.deepEqual([shown.width, shown.height], [64, 48]);
  assert.equal(shown.rgba, null);
  await assert.rejects(decodeHeic(corrupt), /could not decode/);
});

test("withStatedSize makes a HEIC claim another size, which readers see before decoding", async () => {
  const [image] = new libheif.HeifDecoder().decode(withStatedSize(await buildHeic({ width: 64, height: 48 }), 9000, 6000));
  assert.deepEqual([image.get_width(), image.get_height()], [9000, 6000]);
});
