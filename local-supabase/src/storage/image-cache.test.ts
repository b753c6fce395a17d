import { describe, test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ImageCache } from "./image-cache.ts";

describe("ImageCache", () => {
  const dir = mkdtempSync(join(tmpdir(), "shoebox-image-cache-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("concurrent misses share one render; later reads are hits from disk", async () => {
    const cache = new ImageCache(join(dir, "renditions"));
    let renders = 0;
    const produce = async () => {
      renders++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return Buffer.from("rendition");
    };
    const key = ImageCache.key(["photos", "v1", "width:100", "webp"]);
    const [a, b] = await Promise.all([cache.get(key, produce), cache.get(key, produce)]);
    assert.equal(renders, 1);
    assert.deepEqual([a.hit, b.hit], [false, false]);
    const c = await cache.get(key, produce);
    assert.equal(c.hit, true);
    assert.equal(renders, 1);
    assert.equal(readFileSync(c.path, "utf8"), "rendition");
    assert.deepEqual(readdirSync(join(dir, "renditions")), [key], "no partial files left behind");
  });

  test("a failed render leaves nothing cached, so the next request tries again", async () => {
    const cache = new ImageCache(join(dir, "failing"));
    const key = ImageCache.key(["photos", "v2"]);
    await assert.rejects(cache.get(key, async () => Promise.reject(new Error("unsupported"))), /unsupported/);
    const retry = await cache.get(key, async () => Buffer.from("ok"));
    assert.equal(retry.hit, false);
  });

  test("keys differ by any part", () => {
    assert.notEqual(ImageCache.key(["b", "v1", "width:100", "webp"]), ImageCache.key(["b", "v1", "width:100", "jpeg"]));
  });
});
