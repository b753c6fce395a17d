import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { SERVICE_ROLE_KEY, startTestPlatform, type ContractPlatform } from "./support/platform.ts";
import { storageUrl } from "./storage-support.ts";

// Internal: these look at the platform's rendition cache and start it with a project of their own.

const photo = () => sharp({ create: { width: 1600, height: 1200, channels: 3, background: "#808040" } }).jpeg().toBuffer();

describe("storage renditions: cache (docs/supabase-behaviour.md#image-transformations)", () => {
  let tp: ContractPlatform;
  before(async () => {
    tp = await startTestPlatform();
    await tp.service().storage.createBucket("cached", { public: false });
    await tp.service().storage.from("cached").upload("a.jpg", await photo(), { contentType: "image/jpeg" });
  });
  after(() => tp.close());

  const renditionFiles = () => {
    const dir = join(tp.platform.context.dataDir, "renditions");
    try {
      return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    } catch {
      return [];
    }
  };

  test("a rendition is made once per object version and options, then served from disk", async () => {
    const url = `${storageUrl(tp)}/render/image/authenticated/cached/a.jpg?width=300`;
    const headers = { Authorization: `Bearer ${SERVICE_ROLE_KEY}`, Accept: "image/webp" };
    const first = Buffer.from(await (await fetch(url, { headers })).arrayBuffer());
    assert.equal(renditionFiles().length, 1);
    const again = Buffer.from(await (await fetch(url, { headers })).arrayBuffer());
    assert.equal(renditionFiles().length, 1, "the second request must not render again");
    assert.deepEqual(again, first);

    // Another output format is another rendition.
    await (await fetch(url, { headers: { ...headers, Accept: "image/jpeg" } })).arrayBuffer();
    assert.equal(renditionFiles().length, 2);

    // A new upload is a new version: the old rendition is never served for it.
    const replacement = await sharp({ create: { width: 600, height: 1200, channels: 3, background: "#000000" } }).jpeg().toBuffer();
    await tp.service().storage.from("cached").update("a.jpg", replacement, { contentType: "image/jpeg" });
    const renewed = await sharp(Buffer.from(await (await fetch(url, { headers })).arrayBuffer())).metadata();
    assert.deepEqual([renewed.width, renewed.height], [300, 600]);
    assert.equal(renditionFiles().length, 3);
  });

  test("the cache directory goes when an in-memory platform closes", async () => {
    const other = await startTestPlatform();
    await other.service().storage.createBucket("gone", { public: false });
    await other.service().storage.from("gone").upload("a.jpg", await photo(), { contentType: "image/jpeg" });
    await fetch(`${storageUrl(other)}/render/image/authenticated/gone/a.jpg?width=50`, { headers: { Authorization: `Bearer ${SERVICE_ROLE_KEY}` } }).then((r) => r.arrayBuffer());
    const dir = join(other.platform.context.dataDir, "renditions");
    assert.equal(readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length, 1);
    await other.close();
    assert.throws(() => readdirSync(dir), /ENOENT/);
  });
});

describe("storage renditions: a persistent platform restarted", () => {
  test("drops the renditions of objects deleted before the restart and keeps the others", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "shoebox-render-restart-"));
    const headers = { Authorization: `Bearer ${SERVICE_ROLE_KEY}` };
    const files = () => readdirSync(join(dataDir, "renditions"), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
    try {
      let tp = await startTestPlatform({ memory: false, dataDir });
      await tp.service().storage.createBucket("kept", { public: false });
      for (const name of ["a.jpg", "b.jpg"]) await tp.service().storage.from("kept").upload(name, await photo(), { contentType: "image/jpeg" });
      for (const name of ["a.jpg", "b.jpg"]) await (await fetch(`${storageUrl(tp)}/render/image/authenticated/kept/${name}?width=64`, { headers })).arrayBuffer();
      assert.equal(files(), 2);
      await tp.service().storage.from("kept").remove(["a.jpg"]);
      await tp.close();

      tp = await startTestPlatform({ memory: false, dataDir });
      try {
        // The sweep runs in the background once storage is ready; a request waits for readiness.
        await (await fetch(`${storageUrl(tp)}/bucket`, { headers })).arrayBuffer();
        const deadline = Date.now() + 10_000;
        while (files() !== 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
        assert.equal(files(), 1);
      } finally {
        await tp.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("storage renditions: transformations off in config.toml", () => {
  let project: string;
  let tp: ContractPlatform;
  before(async () => {
    project = mkdtempSync(join(tmpdir(), "shoebox-render-off-"));
    mkdirSync(join(project, "supabase"));
    // The CLI's default: the [storage.image_transformation] table commented out.
    writeFileSync(join(project, "supabase", "config.toml"), '[storage]\nfile_size_limit = "50MiB"\n# [storage.image_transformation]\n# enabled = true\n');
    tp = await startTestPlatform({ supabaseDir: join(project, "supabase") });
    await tp.service().storage.createBucket("plain", { public: false });
    await tp.service().storage.from("plain").upload("a.jpg", await photo(), { contentType: "image/jpeg" });
  });
  after(async () => {
    await tp.close();
    rmSync(project, { recursive: true, force: true });
  });

  test("render routes do not exist and answer the route-not-found 404", async () => {
    const response = await fetch(`${storageUrl(tp)}/render/image/authenticated/plain/a.jpg?width=100`, { headers: { Authorization: `Bearer ${SERVICE_ROLE_KEY}` } });
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), {
      statusCode: "404",
      error: "Not Found",
      message: "Route GET:/render/image/authenticated/plain/a.jpg?width=100 not found",
      code: "InvalidRequest",
    });
  });

  test("createSignedUrl with transform drops the options and signs the original", async () => {
    const { data, error } = await tp.service().storage.from("plain").createSignedUrl("a.jpg", 60, { transform: { width: 100 } });
    assert.equal(error, null);
    const url = new URL(data!.signedUrl);
    assert.match(url.pathname, /\/storage\/v1\/object\/sign\/plain\/a\.jpg$/);
    const claims = JSON.parse(Buffer.from(url.searchParams.get("token")!.split(".")[1], "base64url").toString("utf8"));
    assert.equal(claims.transformations, undefined);
    const image = await sharp(Buffer.from(await (await fetch(url)).arrayBuffer())).metadata();
    assert.equal(image.width, 1600);
  });
});
