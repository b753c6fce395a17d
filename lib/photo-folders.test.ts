import { test } from "node:test";
import assert from "node:assert/strict";
import { folderIndex, LOOSE_PHOTOS } from "./photo-folders.ts";

test("top folders with their counts, in natural name order", () => {
  const index = folderIndex(["Day 10/a.jpg", "Day 2/b.jpg", "Day 2/sub/c.jpg", "Day 1/d.jpg"]);
  assert.deepEqual(index.folders, [
    { key: "Day 1", label: "Day 1", count: 1 },
    { key: "Day 2", label: "Day 2", count: 2 },
    { key: "Day 10", label: "Day 10", count: 1 },
  ]);
  assert.equal(index.folderOf("Day 2/sub/c.jpg"), "Day 2");
});

test("a folder every photo shares is skipped for the folders under it", () => {
  const index = folderIndex(["Trip/Day 1/a.jpg", "Trip/Day 2/b.jpg", "Trip/Day 2/c.jpg"]);
  assert.deepEqual(index.folders.map((f) => [f.key, f.count]), [["Day 1", 1], ["Day 2", 2]]);
});

test("photos outside any folder form their own group, last", () => {
  const index = folderIndex(["cover.jpg", "Day 1/a.jpg"]);
  assert.deepEqual(index.folders, [
    { key: "Day 1", label: "Day 1", count: 1 },
    { key: LOOSE_PHOTOS, label: "Not in a folder", count: 1 },
  ]);
  assert.equal(index.folderOf("cover.jpg"), LOOSE_PHOTOS);
});

test("an archive of one folder, or none, has a single group", () => {
  assert.equal(folderIndex(["Trip/a.jpg", "Trip/b.jpg"]).folders.length, 1);
  assert.equal(folderIndex(["a.jpg", "b.jpg"]).folders.length, 1);
  assert.deepEqual(folderIndex([]).folders, []);
});
