import assert from "node:assert/strict";
import { test } from "node:test";
import { v8HeapFlags } from "../src/functions/v8-heap.ts";

const MiB = 1024 * 1024;

test("a 256 MB worker gets the hosted runtime's 1 MiB semi-spaces, not V8's 16 MiB default", () => {
  assert.equal(v8HeapFlags(256 * MiB), "--max-old-space-size=256,--max-semi-space-size=1");
});

test("semi-spaces grow with larger heaps as V8 derives them, up to 16 MiB", () => {
  assert.equal(v8HeapFlags(512 * MiB), "--max-old-space-size=512,--max-semi-space-size=4");
  assert.equal(v8HeapFlags(150 * MiB), "--max-old-space-size=150,--max-semi-space-size=1");
  assert.equal(v8HeapFlags(8192 * MiB), "--max-old-space-size=8192,--max-semi-space-size=16");
});
