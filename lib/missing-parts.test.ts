import { test } from "node:test";
import assert from "node:assert/strict";
import { missingParts, missingPartsMessage, partsToAskFor } from "./missing-parts.ts";

const NOW = Date.parse("2026-12-03T12:00:00Z");
const archive = (id: string, status: "receiving" | "done", ordinal = 1) => ({ id, name: `${id}.zip`, status, ordinal });
const segment = (archive_id: string, status: "pending" | "done", leaseSeconds: number | null = null) => ({
  archive_id, status, lease_expires_at: leaseSeconds === null ? null : new Date(NOW + leaseSeconds * 1000).toISOString(),
});

test("counts the parts of the unfinished archive not yet received, and names the zip to drop again", () => {
  const parts = missingParts(
    [archive("first", "done"), archive("trip", "receiving", 2)],
    [segment("first", "done"), ...Array.from({ length: 28 }, () => segment("trip", "done")), ...Array.from({ length: 12 }, () => segment("trip", "pending"))],
    NOW,
  );
  assert.deepEqual(parts, { archiveName: "trip.zip", missing: 12, total: 40, inProgress: 0 });
  assert.equal(missingPartsMessage(parts!), "12 of 40 parts not yet received — drop ‘trip.zip’ again to continue.");
});

test("a part a live worker holds is on its way, not missing; an expired lease is missing again", () => {
  const parts = missingParts([archive("trip", "receiving")], [segment("trip", "pending", 60), segment("trip", "pending", -1), segment("trip", "done")], NOW);
  assert.deepEqual(parts, { archiveName: "trip.zip", missing: 1, total: 3, inProgress: 1 });
});

test("nothing is missing once every archive is done", () => {
  assert.equal(missingParts([archive("trip", "done")], [segment("trip", "done")], NOW), null);
  assert.equal(missingParts([], [], NOW), null);
});

test("the zip is asked for only when nobody is sending it", () => {
  const idle = { archiveName: "trip.zip", missing: 3, total: 5, inProgress: 0 };
  const busy = { ...idle, missing: 2, inProgress: 1 };
  assert.equal(partsToAskFor(idle, "uploading", false), idle, "its page closed without a word: nobody holds a part");
  assert.equal(partsToAskFor(idle, "uploading", true), null, "this tab is sending it");
  assert.equal(partsToAskFor(busy, "uploading", false), null, "another tab or device is sending it");
  assert.equal(partsToAskFor(busy, "interrupted", false), busy, "left, with a part received before still extracting");
  assert.equal(partsToAskFor({ ...idle, missing: 0, inProgress: 2 }, "interrupted", false), null);
  assert.equal(partsToAskFor(null, "interrupted", false), null);
});
