import { test } from "node:test";
import assert from "node:assert/strict";
import { RateMeter } from "./rate-meter.ts";

test("speed is unknown until two samples exist", () => {
  const meter = new RateMeter();
  assert.equal(meter.add(1000, 0), 0);
  assert.equal(meter.add(3000, 1000), 2000);
});

test("old samples leave the window, so the speed follows the recent pace", () => {
  const meter = new RateMeter(2000);
  meter.add(0, 0);
  meter.add(10_000_000, 1000); // a fast burst at the start
  for (let t = 2000; t <= 10_000; t += 1000) meter.add(10_000_000 + ((t - 1000) / 1000) * 1000, t);
  assert.equal(meter.rate(), 1000);
});
