import { test } from "node:test";
import assert from "node:assert/strict";
import { formatDateSpan } from "./date-span.ts";

/** ICU versions differ in the spaces around the range dash (none, thin or plain); compare without them. */
const plain = (text: string | null) => text?.replace(/\s*–\s*/g, "–").replace(/\s/g, " ") ?? null;

test("days of one month share the month and year", () => {
  assert.equal(plain(formatDateSpan("2024-07-12T09:00:00Z", "2024-07-14T20:00:00Z", "en-GB")), "12–14 Jul 2024");
  assert.equal(plain(formatDateSpan("2024-07-12T09:00:00Z", "2024-07-14T20:00:00Z", "en-US")), "Jul 12–14, 2024");
});

test("days across months name both months", () => {
  assert.equal(plain(formatDateSpan("2024-06-30T09:00:00Z", "2024-07-02T20:00:00Z", "en-GB")), "30 Jun–2 Jul 2024");
  assert.equal(plain(formatDateSpan("2023-12-30T09:00:00Z", "2024-01-02T20:00:00Z", "en-GB")), "30 Dec 2023–2 Jan 2024");
});

test("spans longer than a month are named by month", () => {
  assert.equal(plain(formatDateSpan("2023-12-03T09:00:00Z", "2024-01-22T20:00:00Z", "en-GB")), "Dec 2023–Jan 2024");
  assert.equal(plain(formatDateSpan("2024-01-03T09:00:00Z", "2024-03-22T20:00:00Z", "en-GB")), "Jan–Mar 2024");
});

test("one day reads as that day, in UTC", () => {
  assert.equal(plain(formatDateSpan("2024-07-12T00:00:00Z", "2024-07-12T23:59:59Z", "en-GB")), "12 Jul 2024");
});

test("reversed dates are put in order, missing ones give no span", () => {
  assert.equal(plain(formatDateSpan("2024-07-14T09:00:00Z", "2024-07-12T09:00:00Z", "en-GB")), "12–14 Jul 2024");
  assert.equal(formatDateSpan(null, "2024-07-12T09:00:00Z", "en-GB"), null);
  assert.equal(formatDateSpan("2024-07-12T09:00:00Z", undefined, "en-GB"), null);
  assert.equal(formatDateSpan("yesterday", "2024-07-12T09:00:00Z", "en-GB"), null);
});
