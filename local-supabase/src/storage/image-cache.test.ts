import { describe, test, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ImageCache } from "./image-cache.ts";

const files = (dir: string) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);

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
    const [a, b] = await Promise.all([cache.get("photos", "v1", ["width:100", "webp"], produce), cache.get("photos", "v1", ["width:100", "webp"], produce)]);
    assert.equal(renders, 1);
    assert.deepEqual([a.hit, b.hit], [false, false]);
    const c = await cache.get("photos", "v1", ["width:100", "webp"], produce);
    assert.equal(c.hit, true);
    assert.equal(renders, 1);
    assert.equal(readFileSync(c.path, "utf8"), "rendition");
    assert.equal(files(join(dir, "renditions")).length, 1, "no partial files left behind");
    // Any other part of the variant is another rendition.
    assert.equal((await cache.get("photos", "v1", ["width:100", "jpeg"], produce)).hit, false);
  });

  test("a failed render leaves nothing cached, so the next request tries again", async () => {
    const cache = new ImageCache(join(dir, "failing"));
    await assert.rejects(cache.get("photos", "v2", [], async () => Promise.reject(new Error("unsupported"))), /unsupported/);
    const retry = await cache.get("photos", "v2", [], async () => Buffer.from("ok"));
    assert.equal(retry.hit, false);
  });

  test("prune drops the renditions of versions that are gone and keeps the rest", async () => {
    const cache = new ImageCache(join(dir, "pruned"));
    const kept = await cache.get("photos", "live", ["a"], async () => Buffer.from("1"));
    const gone = await cache.get("my bucket/x", "dead", ["a"], async () => Buffer.from("2"));
    const removed = await cache.prune(async (bucket, version) => bucket === "photos" && version === "live");
    assert.equal(removed, 1);
    assert.ok(existsSync(kept.path));
    assert.ok(!existsSync(gone.path));
  });
});
