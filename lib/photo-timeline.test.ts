import { test } from "node:test";
import assert from "node:assert/strict";
import { dayHeading, daySections, inTimeOrder, UNDATED } from "./photo-timeline.ts";

const photo = (idx: number, takenAt: string | null = null) => ({ idx, takenAt });

test("photos are ordered by date taken, then archive order, undated ones last", () => {
  const photos = [
    photo(0, null),
    photo(1, "2024-07-14T09:00:00+00:00"),
    photo(2, "2024-07-12T18:30:00Z"),
    photo(3, null),
    photo(4, "2024-07-12T08:00:00.000Z"),
    photo(5, "2024-07-12T18:30:00Z"),
  ];
  assert.deepEqual(inTimeOrder(photos).map((p) => p.idx), [4, 2, 5, 1, 0, 3]);
  assert.deepEqual(photos.map((p) => p.idx), [0, 1, 2, 3, 4, 5], "the input keeps its order");
});

test("a date that cannot be read counts as no date", () => {
  assert.deepEqual(inTimeOrder([photo(0, "not a date"), photo(1, "2024-01-01T00:00:00Z")]).map((p) => p.idx), [1, 0]);
});

test("sections cut the ordered photos into UTC days, undated last", () => {
  const ordered = inTimeOrder([
    photo(0, "2024-07-13T23:59:59Z"),
    photo(1, "2024-07-13T00:00:00Z"),
    photo(2, null),
    photo(3, "2024-07-14T00:00:00Z"),
    photo(4, "2024-07-12T12:00:00+02:00"),
  ]);
  const sections = daySections(ordered);
  assert.deepEqual(sections.map((s) => [s.key, s.photos.map((p) => p.idx)]), [
    ["2024-07-12", [4]],
    ["2024-07-13", [1, 0]],
    ["2024-07-14", [3]],
    [UNDATED, [2]],
  ]);
  assert.deepEqual(daySections([]), []);
});

test("a section heading names the day in the viewer's locale", () => {
  assert.match(dayHeading("2024-07-13", "en-GB"), /^Saturday,? 13 July 2024$/);
  assert.match(dayHeading("2024-07-13", "en-US"), /^Saturday, July 13, 2024$/);
  assert.match(dayHeading("2024-07-13", "de-DE"), /^Samstag, 13\. Juli 2024$/);
  assert.equal(dayHeading(UNDATED, "en-GB"), "No date");
});
