import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_LIMITS, parseLimits } from "./upload-limits.ts";

test("reads the limits the function publishes", () => {
  const limits = parseLimits({ archiveBytes: 512, uncompressedBytes: 4096, bytesPerPhoto: 50, entryCount: 10, maxRatio: 20 });
  assert.deepEqual(limits, { archiveBytes: 512, uncompressedBytes: 4096, bytesPerPhoto: 50, entryCount: 10, maxRatio: 20 });
});

test("keeps the defaults for missing or nonsensical values", () => {
  const limits = parseLimits({ archiveBytes: -1, entryCount: "many" });
  assert.deepEqual(limits, DEFAULT_LIMITS);
  assert.deepEqual(parseLimits(null), DEFAULT_LIMITS);
});
