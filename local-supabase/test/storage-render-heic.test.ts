// @contract black-box
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { SupabaseClient } from "@supabase/supabase-js";
import sharp from "sharp";
import { SERVICE_ROLE_KEY, startTestPlatform, type ContractPlatform } from "./support/platform.ts";
import { scratchBucket, storageUrl } from "./storage-support.ts";
import { buildHeic, corruptHeic, QUADRANT_COLOURS, withStatedSize } from "../../test/support/heic.ts";

/** Width, height, format and the colour of the top-left pixel of an encoded rendition. */
async function describeImage(bytes: Buffer) {
  const image = sharp(bytes);
  const { width, height, format } = await image.metadata();
  const { data } = await image.clone().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width, height, format, topLeft: [...data.subarray(0, 3)] };
}

const near = (actual: number[], expected: readonly number[]) => expected.every((v, i) => Math.abs(actual[i] - v) <= 24);

describe("renditions of HEIC photos (docs/supabase-behaviour.md#heic-sources)", () => {
  let tp: ContractPlatform;
  let service: SupabaseClient;
  let bucket: string;
  before(async () => {
    tp = await startTestPlatform();
    service = tp.service();
    bucket = await scratchBucket(tp, "heic-renditions");
    const uploads: Array<[string, Uint8Array]> = [
      ["Day 1/IMG_0001.HEIC", await buildHeic({ width: 640, height: 480 })],
      // Shown turned a quarter anticlockwise (irot), as an iPhone held upright stores its photos.
      ["Day 1/IMG_0002.HEIC", await buildHeic({ width: 640, height: 480, rotation: 90, exif: { orientation: 6 } })],
      ["Day 1/IMG_0003.HEIC", corruptHeic(await buildHeic({ width: 640, height: 480 }))],
      // States 9000×6000 (54 MP), over the 50-megapixel limit.
      ["Day 1/IMG_0004.HEIC", withStatedSize(await buildHeic({ width: 64, height: 48 }), 9000, 6000)],
    ];
    for (const [path, bytes] of uploads) {
      const { error } = await service.storage.from(bucket).upload(path, bytes, { contentType: "image/heic" });
      assert.equal(error, null);
    }
  });
  after(() => tp.close());

  test("a signed rendition URL of a HEIC serves a WebP of the asked size", async () => {
    const { data, error } = await service.storage.from(bucket).createSignedUrl("Day 1/IMG_0001.HEIC", 60, { transform: { width: 200, height: 200, resize: "contain" } });
    assert.equal(error, null);
    const response = await fetch(data!.signedUrl, { headers: { Accept: "image/avif,image/webp,*/*" } });
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal(response.headers.get("content-type"), "image/webp");
    const image = await describeImage(Buffer.from(await response.arrayBuffer()));
    assert.equal(image.format, "webp");
    assert.deepEqual([image.width, image.height], [200, 150]);
    assert.ok(near(image.topLeft, QUADRANT_COLOURS[0]), `top-left ${image.topLeft}`);
  });

  test("download with transform, asking for no WebP, gets a JPEG cut to the box", async () => {
    const { data, error } = await service.storage.from(bucket).download("Day 1/IMG_0001.HEIC", { transform: { width: 160, height: 160 } });
    assert.equal(error, null);
    const image = await describeImage(Buffer.from(await data!.arrayBuffer()));
    assert.equal(image.format, "jpeg");
    assert.deepEqual([image.width, image.height], [160, 160]);
  });

  test("the HEIC's own rotation is applied once", async () => {
    const { data, error } = await service.storage.from(bucket).download("Day 1/IMG_0002.HEIC", { transform: { width: 240, resize: "contain" } });
    assert.equal(error, null);
    const image = await describeImage(Buffer.from(await data!.arrayBuffer()));
    assert.deepEqual([image.width, image.height], [240, 320]);
    // A quarter turn anticlockwise brings the top-right (green) quadrant to the top left.
    assert.ok(near(image.topLeft, QUADRANT_COLOURS[1]), `top-left ${image.topLeft}`);
  });

  test("a corrupt HEIC is refused as any undecodable source is", async () => {
    const response = await fetch(`${storageUrl(tp)}/render/image/authenticated/${bucket}/Day%201/IMG_0003.HEIC?width=100`, { headers: { Authorization: `Bearer ${SERVICE_ROLE_KEY}` } });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { statusCode: "400", code: "InvalidRequest", error: "InvalidRequest", message: "The source image is invalid or unsupported for rendering" });

    const { data, error } = await service.storage.from(bucket).download("Day 1/IMG_0003.HEIC", { transform: { width: 100 } });
    assert.equal(data, null);
    assert.equal(error?.message, "The source image is invalid or unsupported for rendering");
    // The original is still there for "Download original".
    const original = await service.storage.from(bucket).download("Day 1/IMG_0003.HEIC");
    assert.equal(original.error, null);
  });

  test("a HEIC over the pixel limit is refused from its stated size, as other sources are", async () => {
    const response = await fetch(`${storageUrl(tp)}/render/image/authenticated/${bucket}/Day%201/IMG_0004.HEIC?width=100`, { headers: { Authorization: `Bearer ${SERVICE_ROLE_KEY}` } });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { message: string }).message, "The source image resolution is too large to process");
  });
});
