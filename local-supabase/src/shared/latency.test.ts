import { test } from "node:test";
import assert from "node:assert/strict";
import { parseLatency } from "./latency.ts";

test("latency takes milliseconds with or without a unit, and seconds", () => {
  assert.equal(parseLatency("40ms"), 40);
  assert.equal(parseLatency("40"), 40);
  assert.equal(parseLatency(" 25 MS "), 25);
  assert.equal(parseLatency("0.04s"), 40);
  assert.equal(parseLatency("0"), 0);
});

test("no latency given means none", () => {
  assert.equal(parseLatency(undefined), 0);
  assert.equal(parseLatency(""), 0);
});

test("anything else is refused with the forms that work", () => {
  for (const bad of ["fast", "-5ms", "40 minutes", "1e3"]) {
    assert.throws(() => parseLatency(bad), /not a duration: give milliseconds such as 40ms/, bad);
  }
});
