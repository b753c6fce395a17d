// @contract black-box
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import type { SupabaseClient } from "@supabase/supabase-js";
import sharp from "sharp";
import { SERVICE_ROLE_KEY, startTestPlatform, type ContractPlatform } from "./support/platform.ts";
import { scratchBucket, storageUrl, storageUser } from "./storage-support.ts";

const decode = (token: string) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));

/** A landscape JPEG stored sideways: 1200×800 pixels with EXIF orientation 6 (shown rotated to 800×1200). */
async function sidewaysJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .jpeg({ quality: 90 })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

async function imageOf(response: Response) {
  assert.equal(response.status, 200, await response.clone().text());
  return sharp(Buffer.from(await response.arrayBuffer())).metadata();
}

describe("storage image transformations (docs/supabase-behaviour.md#image-transformations)", () => {
  let tp: ContractPlatform;
  let service: SupabaseClient;
  let bucket: string;
  before(async () => {
    tp = await startTestPlatform();
    service = tp.service();
    bucket = await scratchBucket(tp, "renditions");
    const { error } = await service.storage.from(bucket).upload("Day 1/photo.jpg", await sidewaysJpeg(), { contentType: "image/jpeg" });
    assert.equal(error, null);
  });
  after(() => tp.close());

  test("createSignedUrl with transform seals the options in the token and serves a rendition", async () => {
    const { data, error } = await service.storage.from(bucket).createSignedUrl("Day 1/photo.jpg", 60, { transform: { width: 200, height: 200 } });
    assert.equal(error, null);
    const url = new URL(data!.signedUrl);
    assert.match(url.pathname, /\/storage\/v1\/render\/image\/sign\//);
    const claims = decode(url.searchParams.get("token")!);
    assert.deepEqual(Object.keys(claims), ["transformations", "url", "scope", "iat", "exp"]);
    // storage-api writes `resize` whenever a size is given, even when the caller named none.
    assert.equal(claims.transformations, "height:200,width:200,resize:undefined");

    const response = await fetch(data!.signedUrl, { headers: { Accept: "image/avif,image/webp,*/*" } });
    assert.equal(response.headers.get("x-transformations"), "height:200,width:200,resizing_type:fill");
    assert.equal(response.headers.get("expires"), new Date(claims.exp * 1000).toUTCString());
    const image = await imageOf(response);
    assert.equal(image.format, "webp");
    assert.deepEqual([image.width, image.height], [200, 200]);
  });

  test("query options on a signed rendition URL cannot change the sealed ones", async () => {
    const { data } = await service.storage.from(bucket).createSignedUrl("Day 1/photo.jpg", 60, { transform: { width: 100, resize: "contain" } });
    const tampered = new URL(data!.signedUrl);
    tampered.searchParams.set("width", "2000");
    const image = await imageOf(await fetch(tampered));
    assert.equal(image.width, 100);
  });

  test("EXIF orientation is applied and contain keeps the aspect ratio", async () => {
    const { data } = await service.storage.from(bucket).download("Day 1/photo.jpg", { transform: { width: 300, height: 300, resize: "contain", format: "origin" } });
    assert.ok(data);
    const image = await sharp(Buffer.from(await data.arrayBuffer())).metadata();
    assert.equal(image.format, "jpeg");
    // Shown upright the photo is portrait (800×1200), so fitting 300×300 gives 200×300.
    assert.deepEqual([image.width, image.height], [200, 300]);
    assert.ok(!image.orientation || image.orientation === 1);
  });

  test("without image/webp in Accept the original format is kept; quality changes the bytes", async () => {
    const path = `${storageUrl(tp)}/render/image/authenticated/${bucket}/Day%201/photo.jpg`;
    const headers = { Authorization: `Bearer ${SERVICE_ROLE_KEY}`, Accept: "image/jpeg" };
    const low = await fetch(`${path}?width=400&quality=20`, { headers });
    assert.equal(low.headers.get("content-type"), "image/jpeg");
    const lowBytes = (await low.arrayBuffer()).byteLength;
    const high = await fetch(`${path}?width=400&quality=100`, { headers });
    const highBytes = (await high.arrayBuffer()).byteLength;
    assert.ok(highBytes > lowBytes, `quality 100 (${highBytes} B) should be larger than quality 20 (${lowBytes} B)`);
  });

  test("a width above the limit is clamped, not refused", async () => {
    const { data } = await service.storage.from(bucket).createSignedUrl("Day 1/photo.jpg", 60, { transform: { width: 9000 } });
    assert.equal(decode(new URL(data!.signedUrl).searchParams.get("token")!).transformations, "width:2500,resize:undefined");
    // Never enlarged: the rendition stays the original's upright width.
    assert.equal((await imageOf(await fetch(data!.signedUrl))).width, 800);
  });

  test("bad options are refused in the route schema's words", async () => {
    const bad = async (query: string) => {
      const response = await fetch(`${storageUrl(tp)}/render/image/authenticated/${bucket}/Day%201/photo.jpg?${query}`, { headers: { Authorization: `Bearer ${SERVICE_ROLE_KEY}` } });
      assert.equal(response.status, 400);
      return (await response.json()) as { statusCode: string; message: string };
    };
    assert.equal((await bad("quality=10")).message, "querystring/quality must be >= 20");
    assert.equal((await bad("quality=101")).message, "querystring/quality must be <= 100");
    assert.equal((await bad("width=-1")).message, "querystring/width must be >= 0");
    assert.equal((await bad("width=wide")).message, "querystring/width must be integer");
    assert.equal((await bad("resize=stretch")).message, "querystring/resize must be equal to one of the allowed values");
    const { error } = await service.storage.from(bucket).createSignedUrl("Day 1/photo.jpg", 60, { transform: { quality: 5 } });
    assert.equal(error?.message, "body/transform/quality must be >= 20");
  });

  test("RLS applies: a user who cannot read the object gets Storage's not-found", async () => {
    const stranger = await storageUser(tp);
    const { error } = await stranger.client.storage.from(bucket).download("Day 1/photo.jpg", { transform: { width: 100 } });
    assert.ok(error);
    const signed = await stranger.client.storage.from(bucket).createSignedUrl("Day 1/photo.jpg", 60, { transform: { width: 100 } });
    assert.equal((signed.error as { statusCode?: string }).statusCode, "404");
    const raw = await fetch(`${storageUrl(tp)}/render/image/authenticated/${bucket}/Day%201/photo.jpg?width=100`, { headers: { Authorization: `Bearer ${stranger.accessToken}` } });
    assert.equal(raw.status, 400);
    assert.deepEqual(await raw.json(), { statusCode: "404", error: "not_found", message: "Object not found", code: "NoSuchKey" });
  });

  test("a private bucket's public rendition URL is refused", async () => {
    const { data } = service.storage.from(bucket).getPublicUrl("Day 1/photo.jpg", { transform: { width: 100 } });
    assert.match(data.publicUrl, /\/render\/image\/public\//);
    const response = await fetch(data.publicUrl);
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { statusCode: string }).statusCode, "404");
  });

  test("getPublicUrl with transform renders from a public bucket without any key", async () => {
    const shared = await scratchBucket(tp, "shared", { public: true });
    await service.storage.from(shared).upload("p.jpg", await sidewaysJpeg(), { contentType: "image/jpeg" });
    const { data } = tp.anon().storage.from(shared).getPublicUrl("p.jpg", { transform: { width: 100, height: 100, resize: "fill" } });
    const image = await imageOf(await fetch(data.publicUrl, { headers: { Accept: "image/webp" } }));
    assert.equal(image.format, "webp");
    assert.deepEqual([image.width, image.height], [100, 100]);
  });

  test("sources past the hosted limits are refused with their own errors", async () => {
    const huge = sharp({ create: { width: 8000, height: 6500, channels: 3, background: "#336699" } }).png({ compressionLevel: 9 });
    await service.storage.from(bucket).upload("huge.png", await huge.toBuffer(), { contentType: "image/png" });
    const pixels = await fetch(`${storageUrl(tp)}/render/image/authenticated/${bucket}/huge.png?width=100`, { headers: { Authorization: `Bearer ${SERVICE_ROLE_KEY}` } });
    assert.equal(pixels.status, 400);
    assert.equal(((await pixels.json()) as { message: string }).message, "The source image resolution is too large to process");

    await service.storage.from(bucket).upload("heavy.jpg", Buffer.alloc(26 * 1024 * 1024, 7), { contentType: "image/jpeg" });
    const bytes = await fetch(`${storageUrl(tp)}/render/image/authenticated/${bucket}/heavy.jpg?width=100`, { headers: { Authorization: `Bearer ${SERVICE_ROLE_KEY}` } });
    assert.equal(bytes.status, 400);
    assert.equal(((await bytes.json()) as { message: string }).message, "The source image file is too large to process");

    await service.storage.from(bucket).upload("not-an-image.jpg", "plain text", { contentType: "image/jpeg" });
    const garbage = await fetch(`${storageUrl(tp)}/render/image/authenticated/${bucket}/not-an-image.jpg?width=100`, { headers: { Authorization: `Bearer ${SERVICE_ROLE_KEY}` } });
    assert.equal(garbage.status, 400);
    assert.equal(((await garbage.json()) as { message: string }).message, "The source image is invalid or unsupported for rendering");
  });
});
