import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { downloadName, isRenditionUrl, renditionKey, renditionPx, screenTransform, tileTransform } from "./renditions.ts";

describe("renditionPx", () => {
  test("covers the device pixels, rounded up to the step", () => {
    assert.equal(renditionPx(177, 1), 192);
    assert.equal(renditionPx(177, 2), 384);
    assert.equal(renditionPx(128, 1), 128);
  });
  test("never asks for more than Storage renders, nor for nothing", () => {
    assert.equal(renditionPx(3000, 3), 2500);
    assert.equal(renditionPx(0, 1), 64);
    assert.equal(renditionPx(100, Number.NaN), 128);
  });
});

describe("transforms", () => {
  test("a tile is a square that fills; the screen fits the whole photo", () => {
    assert.deepEqual(tileTransform(177, 2), { width: 384, height: 384, resize: "cover" });
    assert.deepEqual(screenTransform(1280, 720, 1), { width: 1280, height: 768, resize: "contain" });
  });
  test("keys differ per size so a resized grid asks again", () => {
    assert.notEqual(renditionKey("a.jpg", tileTransform(177, 1)), renditionKey("a.jpg", tileTransform(177, 2)));
    assert.equal(renditionKey("a.jpg"), "a.jpg");
  });
});

describe("isRenditionUrl", () => {
  test("tells a rendition from the original a project without transformations signs", () => {
    assert.equal(isRenditionUrl("http://127.0.0.1:54321/storage/v1/render/image/sign/photos/a.jpg?token=x"), true);
    assert.equal(isRenditionUrl("http://127.0.0.1:54321/storage/v1/object/sign/photos/a.jpg?token=x"), false);
  });
});

describe("downloadName", () => {
  test("is the photo's own file name, without its folders", () => {
    assert.equal(downloadName("Day 1/IMG_4001.JPG"), "IMG_4001.JPG");
    assert.equal(downloadName("IMG_4001.JPG"), "IMG_4001.JPG");
    assert.equal(downloadName("a/b/c d.jpg"), "c d.jpg");
  });
});
