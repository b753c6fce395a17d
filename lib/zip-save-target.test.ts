import { test } from "node:test";
import assert from "node:assert/strict";
import { canStreamToDisk, zipFileName } from "./zip-save-target.ts";

test("the zip is named after the album, without characters file systems refuse", () => {
  assert.equal(zipFileName("Summer 2024"), "Summer 2024.zip");
  assert.equal(zipFileName("Trip: Rome/Paris?"), "Trip_ Rome_Paris_.zip");
  assert.equal(zipFileName("..hidden"), "hidden.zip");
  assert.equal(zipFileName("  "), "album.zip");
});

test("outside a browser nothing streams to disk", () => {
  assert.equal(canStreamToDisk(), false);
});
