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

test("the defaults are the function's own, and a photo limit reads the same in the app and in a skipped photo's reason", async () => {
  const { ArchiveBudget, LIMIT_DEFAULTS } = await import("../supabase/functions/_shared/limits.ts");
  const { formatBytes } = await import("./format.ts");
  assert.equal(DEFAULT_LIMITS, LIMIT_DEFAULTS);
  const meter = new ArchiveBudget(DEFAULT_LIMITS).meter(DEFAULT_LIMITS.bytesPerPhoto);
  assert.throws(() => meter.add(DEFAULT_LIMITS.bytesPerPhoto + 1), { message: `larger than ${formatBytes(DEFAULT_LIMITS.bytesPerPhoto)}` });
  assert.equal(formatBytes(DEFAULT_LIMITS.bytesPerPhoto), "50.0 MB");
});
