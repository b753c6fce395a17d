import { test } from "node:test";
import assert from "node:assert/strict";
import { parseFigures } from "./upload-figures.ts";
import { DEFAULT_LIMITS } from "./upload-limits.ts";

test("a function that publishes segment figures is refused only past its archive ceiling", () => {
  const figures = parseFigures({ ...DEFAULT_LIMITS, segmentsPerWorker: 3, maxSegmentBytes: 64e6, archiveCeilingBytes: 50e9, assumedUploadRate: 1e6 });
  assert.equal(figures.segmented, true);
  assert.equal(figures.limits.archiveBytes, 50e9);
  assert.equal(figures.assumedUploadRate, 1e6);
});

test("a function without segment figures takes one archive per request, up to its /tmp", () => {
  const figures = parseFigures({ ...DEFAULT_LIMITS, archiveBytes: 1000 });
  assert.equal(figures.segmented, false);
  assert.equal(figures.limits.archiveBytes, 1000);
});
