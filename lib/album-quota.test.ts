import { test } from "node:test";
import assert from "node:assert/strict";
import { quotaSummary, quotaWarning } from "./album-quota.ts";

const GiB = 1024 ** 3;
const quota = (albums: number, bytes: number) => ({ albums, bytes, maxAlbums: 1000, maxBytes: 20 * GiB });

test("the summary gives both figures against their limits", () => {
  assert.equal(quotaSummary(quota(3, 1.25 * GiB)), "3 of 1,000 albums · 1.3 GB of 20.0 GB used");
  assert.equal(quotaSummary(quota(0, 0)), "0 of 1,000 albums · 0 B of 20.0 GB used");
});

test("well within the limits there is nothing to warn about", () => {
  assert.equal(quotaWarning(quota(899, 17 * GiB)), null);
});

test("near a limit says how much room is left and what to do", () => {
  assert.equal(quotaWarning(quota(995, 1 * GiB)), "You are close to your limits: room for 5 more albums. Delete albums you no longer need to make room.");
  assert.equal(quotaWarning(quota(999, 1 * GiB)), "You are close to your limits: room for 1 more album. Delete albums you no longer need to make room.");
  assert.equal(quotaWarning(quota(10, 19 * GiB)), "You are close to your limits: room for 1.0 GB more photos. Delete albums you no longer need to make room.");
  assert.equal(quotaWarning(quota(950, 19.5 * GiB)),
    "You are close to your limits: room for 50 more albums and 512 MB more photos. Delete albums you no longer need to make room.");
});

test("at a limit says it is reached", () => {
  assert.equal(quotaWarning(quota(1000, 0)), "You have reached the limit of 1,000 albums. Delete albums you no longer need to make room.");
  assert.equal(quotaWarning(quota(10, 21 * GiB)), "Your storage is full (20.0 GB). Delete albums you no longer need to make room.");
});
