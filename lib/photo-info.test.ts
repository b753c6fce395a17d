import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { cameraLabel, displayedPixelSize, formatPixelSize, formatTakenAt, takenAtSourceLabel } from "./photo-info.ts";

describe("displayedPixelSize", () => {
  test("orientations 1–4 keep the stored axes", () => {
    for (const orientation of [1, 2, 3, 4, null, undefined]) assert.deepEqual(displayedPixelSize(4000, 3000, orientation), { width: 4000, height: 3000 });
  });
  test("orientations 5–8 (quarter turns) swap width and height", () => {
    for (const orientation of [5, 6, 7, 8]) assert.deepEqual(displayedPixelSize(4000, 3000, orientation), { width: 3000, height: 4000 });
  });
  test("an unknown size is null, not 0 × 0", () => {
    assert.equal(displayedPixelSize(null, 3000, 1), null);
    assert.equal(displayedPixelSize(4000, undefined, 6), null);
    assert.equal(displayedPixelSize(0, 0, 1), null);
  });
  test("formats with a thousands separator", () => {
    assert.equal(formatPixelSize({ width: 3000, height: 4000 }), "3,000 × 4,000 px");
    assert.equal(formatPixelSize(null), null);
  });
});

describe("date taken", () => {
  test("reads as the camera's clock, in UTC, whatever the browser's zone", () => {
    assert.equal(formatTakenAt("2024-07-12T14:03:59+00:00"), "12 Jul 2024, 14:03");
    assert.equal(formatTakenAt("2024-07-12T23:30:00Z"), "12 Jul 2024, 23:30");
  });
  test("unknown or unreadable dates are null", () => {
    assert.equal(formatTakenAt(null), null);
    assert.equal(formatTakenAt("not a date"), null);
  });
  test("names where the date came from", () => {
    assert.equal(takenAtSourceLabel("exif"), "from the camera");
    assert.equal(takenAtSourceLabel("archive"), "from the archive");
    assert.equal(takenAtSourceLabel(null), null);
  });
});

describe("cameraLabel", () => {
  test("shows the make once when the model repeats it", () => {
    assert.equal(cameraLabel("Canon", "Canon EOS R5"), "Canon EOS R5");
    assert.equal(cameraLabel("Apple", "iPhone 15 Pro"), "Apple iPhone 15 Pro");
    assert.equal(cameraLabel("NIKON CORPORATION", "NIKON Z 6"), "NIKON Z 6");
    assert.equal(cameraLabel("OLYMPUS IMAGING CORP.", "E-M10"), "OLYMPUS IMAGING CORP. E-M10");
  });
  test("either part alone, or nothing", () => {
    assert.equal(cameraLabel(null, "X100V"), "X100V");
    assert.equal(cameraLabel(" FUJIFILM ", ""), "FUJIFILM");
    assert.equal(cameraLabel(null, null), null);
  });
});
