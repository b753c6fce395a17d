import { test } from "node:test";
import assert from "node:assert/strict";
import { gridColumns, gridLayout, neighbour, tileSide } from "./grid-layout.ts";

const layout = () => gridLayout([{ key: "2024-07-12", count: 5 }, { key: "2024-07-13", count: 2 }, { key: "undated", count: 3 }], 3);

test("each day gets a heading row, then rows of at most `columns` tiles", () => {
  const { rows, rowOf } = layout();
  assert.deepEqual(rows.map((r) => (r.kind === "day" ? `day ${r.day} (${r.count})` : `${r.from}-${r.to}`)), [
    "day 2024-07-12 (5)", "0-3", "3-5",
    "day 2024-07-13 (2)", "5-7",
    "day undated (3)", "7-10",
  ]);
  assert.deepEqual(rowOf, [1, 1, 1, 2, 2, 4, 4, 6, 6, 6]);
  assert.equal(new Set(rows.map((r) => r.key)).size, rows.length, "keys are unique");
});

test("a 10,000-photo album is a few thousand rows, laid out at once", () => {
  const big = gridLayout([{ key: "2024-07-12", count: 10_000 }], 6);
  assert.equal(big.rows.length, 1 + Math.ceil(10_000 / 6));
  assert.equal(big.rowOf.length, 10_000);
});

test("left and right step through the order shown, across days", () => {
  const l = layout();
  assert.equal(neighbour(l, 4, "ArrowRight"), 5);
  assert.equal(neighbour(l, 5, "ArrowLeft"), 4);
  assert.equal(neighbour(l, 0, "ArrowLeft"), null);
  assert.equal(neighbour(l, 9, "ArrowRight"), null);
});

test("up and down keep the column, skip headings, and stop at a shorter row's last tile", () => {
  const l = layout();
  assert.equal(neighbour(l, 1, "ArrowDown"), 4);
  assert.equal(neighbour(l, 2, "ArrowDown"), 4, "row 3-5 has no third tile");
  assert.equal(neighbour(l, 4, "ArrowDown"), 6, "past the heading of the next day");
  assert.equal(neighbour(l, 6, "ArrowUp"), 4);
  assert.equal(neighbour(l, 7, "ArrowUp"), 5);
  assert.equal(neighbour(l, 0, "ArrowUp"), null);
  assert.equal(neighbour(l, 8, "ArrowDown"), null);
});

test("columns and tile sides follow the grid's width", () => {
  assert.equal(gridColumns(360), 3);
  assert.equal(gridColumns(1200), 6);
  assert.equal(tileSide(1200, 6, 8), 193);
  assert.equal(tileSide(0, 3, 4), 1);
});
