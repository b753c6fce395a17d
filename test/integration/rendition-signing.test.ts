// How the app signs photo URLs (lib/rendition-signing.ts) against the real platform, with image
// transformations on (Shoebox's config.toml) and off (the CLI's default, like a hosted Free project):
// renditions where Storage renders, else originals — found out from one signed URL, never broken.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@supabase/supabase-js";
import sharp from "sharp";
import WebSocket from "ws";
import { signPhotos, type RenditionSupport } from "../../lib/rendition-signing.ts";
import { tileTransform } from "../../lib/renditions.ts";
import { SERVICE_ROLE_KEY } from "../../local-supabase/test/support/platform.ts";
import { withPlatform, type BlockPlatform } from "./support/platform.ts";

const PATHS = ["a.jpg", "b.jpg", "c.jpg", "d.jpg"];

/** A bucket of four 1200×900 JPEGs, and a client that counts the Storage requests it makes. */
async function photosIn(platform: BlockPlatform) {
  await platform.admin.storage.createBucket("pics", { public: false });
  const jpeg = await sharp({ create: { width: 1200, height: 900, channels: 3, background: "#4080c0" } }).jpeg().toBuffer();
  for (const path of PATHS) await platform.admin.storage.from("pics").upload(path, jpeg, { contentType: "image/jpeg" });
  const requests: string[] = [];
  const client = createClient(platform.url, SERVICE_ROLE_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as never },
    global: { fetch: (input, init) => (requests.push(`${init?.method ?? "GET"} ${new URL(String(input)).pathname}`), fetch(input, init)) },
  });
  return { bucket: client.storage.from("pics"), requests };
}

const widthOf = async (url: string) => (await sharp(Buffer.from(await (await fetch(url)).arrayBuffer())).metadata()).width;

describe("signing photos where Storage renders images", () => {
  const platform = withPlatform();

  test("every URL is a rendition of the tile size, signed one by one", async () => {
    const { bucket, requests } = await photosIn(platform);
    const support: RenditionSupport = { available: null };
    const signed = await signPhotos(bucket, PATHS, 60, tileTransform(177, 1), support);
    assert.equal(support.available, true);
    assert.deepEqual(signed.map((s) => s.path).sort(), PATHS);
    assert.ok(signed.every((s) => s.rendition && s.url.includes("/render/image/sign/pics/")));
    assert.equal(requests.length, PATHS.length);
    assert.equal(await widthOf(signed[0].url), 192);
  });
});

describe("signing photos where image transformations are off", () => {
  let project: string;
  before(() => {
    project = mkdtempSync(join(tmpdir(), "shoebox-no-renditions-"));
    mkdirSync(join(project, "supabase"));
    writeFileSync(join(project, "supabase", "config.toml"), '[storage]\nfile_size_limit = "50MiB"\n');
  });
  const platform = withPlatform(() => ({ supabaseDir: join(project, "supabase") }));
  after(() => rmSync(project, { recursive: true, force: true }));

  test("one signed URL shows it; the rest are originals in one batch, and every URL loads", async () => {
    const { bucket, requests } = await photosIn(platform);
    const support: RenditionSupport = { available: null };
    const signed = await signPhotos(bucket, PATHS, 60, tileTransform(177, 1), support);
    assert.equal(support.available, false);
    assert.deepEqual(signed.map((s) => s.path).sort(), PATHS);
    assert.ok(signed.every((s) => !s.rendition && s.url.includes("/object/sign/pics/")));
    assert.deepEqual(requests, ["POST /storage/v1/object/sign/pics/a.jpg", "POST /storage/v1/object/sign/pics"]);
    for (const photo of signed) assert.equal(await widthOf(photo.url), 1200);

    // Once known, later views go straight to the batch.
    requests.length = 0;
    await signPhotos(bucket, ["a.jpg"], 60, tileTransform(177, 1), support);
    assert.deepEqual(requests, ["POST /storage/v1/object/sign/pics"]);
  });
});
