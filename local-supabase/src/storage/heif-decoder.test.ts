import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HeifDecodeError, HeifDecoder } from "./heif-decoder.ts";
import { buildHeic, corruptHeic, QUADRANT_COLOURS } from "../../../test/support/heic.ts";

async function withFiles(files: Record<string, Uint8Array>, run: (path: (name: string) => string, decoder: HeifDecoder) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), "heif-decoder-"));
  const decoder = new HeifDecoder();
  try {
    for (const [name, bytes] of Object.entries(files)) await writeFile(join(dir, name), bytes);
    await run((name) => join(dir, name), decoder);
  } finally {
    await decoder.close();
    await rm(dir, { recursive: true, force: true });
  }
}

test("decodes a HEIC to opaque RGBA with its rotation applied, several at once through the bounded threads", async () => {
  const upright = await buildHeic({ width: 96, height: 64 });
  const turned = await buildHeic({ width: 96, height: 64, rotation: 270 });
  await withFiles({ "upright.heic": upright, "turned.heic": turned }, async (path, decoder) => {
    const pending = [path("upright.heic"), path("turned.heic"), path("upright.heic"), path("turned.heic"), path("upright.heic")].map((file) => decoder.decode(file, 50_000_000));
    assert.equal(decoder.liveThreads, 2, "five decodes share two threads");
    const results = await Promise.all(pending);
    const [first, second] = results;
    assert.deepEqual([first.width, first.height, first.hasAlpha, first.rgba.length], [96, 64, false, 96 * 64 * 4]);
    assert.ok(QUADRANT_COLOURS[0].every((v, i) => Math.abs(first.rgba[i] - v) <= 8));
    // A quarter turn clockwise (270° anticlockwise) brings the bottom-left (blue) quadrant to the top left.
    assert.deepEqual([second.width, second.height], [64, 96]);
    assert.ok(QUADRANT_COLOURS[2].every((v, i) => Math.abs(second.rgba[i] - v) <= 8), `top-left ${[...second.rgba.subarray(0, 3)]}`);
    assert.deepEqual(results.map((r) => r.width), [96, 64, 96, 64, 96]);
  });
});

test("refuses a source over the pixel limit from its stated size, and a corrupt or non-HEIF file as undecodable", async () => {
  const heic = await buildHeic({ width: 96, height: 64 });
  await withFiles({ "photo.heic": heic, "corrupt.heic": corruptHeic(heic), "text.heic": new TextEncoder().encode("not a photo") }, async (path, decoder) => {
    await assert.rejects(decoder.decode(path("photo.heic"), 96 * 64 - 1), (error) => error instanceof HeifDecodeError && error.reason === "tooManyPixels");
    await assert.rejects(decoder.decode(path("corrupt.heic"), 50_000_000), (error) => error instanceof HeifDecodeError && error.reason === "undecodable");
    await assert.rejects(decoder.decode(path("text.heic"), 50_000_000), (error) => error instanceof HeifDecodeError && error.reason === "undecodable");
    // The threads are still usable after failures.
    assert.equal((await decoder.decode(path("photo.heic"), 50_000_000)).width, 96);
  });
});

test("a closed decoder refuses new work", async () => {
  const decoder = new HeifDecoder();
  await decoder.close();
  await assert.rejects(decoder.decode("/nowhere.heic", 1), /shutting down/);
});
