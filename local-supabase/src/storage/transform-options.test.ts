import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseTransformationClaim, queryTransformOptions, readTransformOptions, transformationClaim, transformationHeader } from "./transform-options.ts";

describe("transformation claim", () => {
  test("is built as storage-api builds it: clamped sizes, resize written even when not given", () => {
    assert.equal(transformationClaim({ width: 100, height: 100, resize: "cover" }), "height:100,width:100,resize:cover");
    assert.equal(transformationClaim({ width: 9000 }), "width:2500,resize:undefined");
    assert.equal(transformationClaim({ width: 200, quality: 60, format: "webp" }), "width:200,resize:undefined,quality:60,format:webp");
    assert.equal(transformationClaim({ format: "origin" }), "");
    assert.equal(transformationClaim({}), "");
  });

  test("reads back what it wrote; an unset resize falls back to cover", () => {
    assert.deepEqual(parseTransformationClaim("height:100,width:120,resize:contain,quality:50"), { height: 100, width: 120, resize: "contain", quality: 50 });
    assert.deepEqual(parseTransformationClaim("width:2500,resize:undefined"), { width: 2500 });
    assert.deepEqual(parseTransformationClaim(""), {});
  });

  test("the X-Transformations header names imgproxy's resizing types", () => {
    assert.equal(transformationHeader({ width: 10, height: 20 }), "height:20,width:10,resizing_type:fill");
    assert.equal(transformationHeader({ width: 10, resize: "contain" }), "width:10,resizing_type:fit");
    assert.equal(transformationHeader({ width: 10, resize: "fill" }), "width:10,resizing_type:force");
  });
});

describe("option validation", () => {
  test("coerces query text to integers and keeps what is valid", () => {
    assert.deepEqual(queryTransformOptions(new URLSearchParams("width=300&height=0&quality=20&resize=fill&format=origin")), { width: 300, height: 0, quality: 20, resize: "fill", format: "origin" });
  });

  test("names the failing field in the route schema's words", () => {
    const message = (source: Record<string, unknown>) => {
      try {
        readTransformOptions(source, "body/transform");
        return null;
      } catch (error) {
        return (error as Error).message;
      }
    };
    assert.equal(message({ width: 1.5 }), "body/transform/width must be integer");
    assert.equal(message({ height: -3 }), "body/transform/height must be >= 0");
    assert.equal(message({ quality: 19 }), "body/transform/quality must be >= 20");
    assert.equal(message({ format: "png" }), "body/transform/format must be equal to one of the allowed values");
    assert.equal(message({ width: 10 }), null);
  });
});
