import { test } from "node:test";
import assert from "node:assert/strict";
import { formatTable, mb, ms, percentOf } from "./report.ts";

test("the table lines up its columns and says PASS or FAIL", () => {
  const table = formatTable([
    { target: "first screen ≤ 3 MB", measured: mb(1_234_567), baseline: `originals ${mb(84e6)}`, pass: true },
    { target: "cached ≤ 10 ms", measured: ms(12.34), baseline: "original 40 ms", pass: false },
  ]).split("\n");
  assert.equal(table.length, 4);
  assert.match(table[2], /^\| first screen ≤ 3 MB \| 1\.23 MB +\| originals 84\.00 MB +\| PASS +\|$/);
  assert.match(table[3], /\| 12 ms +\| original 40 ms +\| FAIL +\|$/);
  assert.equal(new Set(table.map((row) => row.length)).size, 1, "every row as wide as the header");
});

test("figures read as people expect", () => {
  assert.equal(ms(3.14159), "3.1 ms");
  assert.equal(percentOf(1, 8), "12.5 %");
});
