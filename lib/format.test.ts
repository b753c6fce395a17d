import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { formatBytes, formatDate, formatDuration, formatEta, formatPercent, formatSpeed, plural } from "./format.ts";

describe("formatBytes", () => {
  test("keeps small sizes exact and scales by 1024", () => {
    assert.equal(formatBytes(0), "0 B");
    assert.equal(formatBytes(1023), "1023 B");
    assert.equal(formatBytes(1536), "1.5 KB");
    assert.equal(formatBytes(50 * 1024 * 1024), "50.0 MB");
    assert.equal(formatBytes(256 * 1024 * 1024), "256 MB");
    assert.equal(formatBytes(3 * 1024 ** 4), "3.0 TB");
  });
  test("refuses nonsense", () => {
    assert.equal(formatBytes(-1), "—");
    assert.equal(formatBytes(Number.NaN), "—");
  });
});

describe("durations and ETA", () => {
  test("formats seconds, minutes and hours", () => {
    assert.equal(formatDuration(4.4), "4 s");
    assert.equal(formatDuration(185), "3 min 05 s");
    assert.equal(formatDuration(3720), "1 h 02 min");
  });
  test("ETA divides the remaining bytes by the speed", () => {
    assert.equal(formatEta(10 * 1024 * 1024, 1024 * 1024), "10 s");
    assert.equal(formatEta(0, 0), "0 s");
    assert.equal(formatEta(100, 0), "—");
  });
  test("speed", () => {
    assert.equal(formatSpeed(2.5 * 1024 * 1024), "2.5 MB/s");
    assert.equal(formatSpeed(0), "—");
  });
});

describe("formatPercent", () => {
  test("never shows 100 % before the end", () => {
    assert.equal(formatPercent(999, 1000), "99 %");
    assert.equal(formatPercent(1000, 1000), "100 %");
    assert.equal(formatPercent(1, 0), "0 %");
    assert.equal(formatPercent(1, 3), "33 %");
  });
});

describe("words and dates", () => {
  test("plural", () => {
    assert.equal(plural(1, "photo"), "1 photo");
    assert.equal(plural(2000, "photo"), "2,000 photos");
    assert.equal(plural(0, "entry", "entries"), "0 entries");
  });
  test("formatDate is stable across time zones", () => {
    assert.equal(formatDate("2026-11-27T23:30:00Z"), "27 Nov 2026");
    assert.equal(formatDate("not a date"), "");
  });
});
