import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { classifySwipe } from "./swipe.ts";

describe("classifySwipe", () => {
  test("a swipe to the left shows the next photo, to the right the previous one", () => {
    assert.equal(classifySwipe(-120, 10), "next");
    assert.equal(classifySwipe(120, -10), "previous");
  });
  test("a swipe down closes; a swipe up does nothing", () => {
    assert.equal(classifySwipe(5, 140), "close");
    assert.equal(classifySwipe(5, -140), null);
  });
  test("a tap or a short drag below the threshold does nothing", () => {
    assert.equal(classifySwipe(0, 0), null);
    assert.equal(classifySwipe(-49, 0), null);
    assert.equal(classifySwipe(-50, 0), "next");
    assert.equal(classifySwipe(0, 49), null);
  });
  test("a diagonal drag, where neither axis dominates, does nothing", () => {
    assert.equal(classifySwipe(-100, 90), null);
    assert.equal(classifySwipe(100, 100), null);
    assert.equal(classifySwipe(-150, 99), "next");
  });
  test("the threshold can be set, and nonsense is ignored", () => {
    assert.equal(classifySwipe(-30, 0, { threshold: 20 }), "next");
    assert.equal(classifySwipe(Number.NaN, 200), null);
  });
});
