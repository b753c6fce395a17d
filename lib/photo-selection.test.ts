import { test } from "node:test";
import assert from "node:assert/strict";
import { emptySelection, selectedInOrder, selectionLabel, selectionReducer, type PhotoSelection, type SelectionAction } from "./photo-selection.ts";

// The grid shows photos by date, not by entry index.
const ORDER = [7, 3, 9, 1, 4, 8];
const run = (...actions: SelectionAction[]): PhotoSelection => actions.reduce(selectionReducer, emptySelection);
const ids = (state: PhotoSelection) => [...state.selected].sort((a, b) => a - b);

test("toggling selects and deselects a photo and enters selection mode", () => {
  const once = run({ type: "toggle", idx: 3 });
  assert.equal(once.active, true);
  assert.deepEqual(ids(once), [3]);
  assert.deepEqual(ids(selectionReducer(once, { type: "toggle", idx: 3 })), []);
});

test("a range runs from the anchor to the photo in the grid's order, either way", () => {
  const forward = run({ type: "toggle", idx: 3 }, { type: "range", idx: 4, order: ORDER });
  assert.deepEqual(selectedInOrder(forward, ORDER), [3, 9, 1, 4]);
  const backward = run({ type: "toggle", idx: 4 }, { type: "range", idx: 7, order: ORDER });
  assert.deepEqual(selectedInOrder(backward, ORDER), [7, 3, 9, 1, 4]);
});

test("a range keeps its anchor, so a second shift-click adds from the same photo", () => {
  const state = run({ type: "toggle", idx: 9 }, { type: "range", idx: 1, order: ORDER }, { type: "range", idx: 8, order: ORDER });
  assert.equal(state.anchor, 9);
  assert.deepEqual(selectedInOrder(state, ORDER), [9, 1, 4, 8]);
});

test("a range keeps photos selected outside it", () => {
  const state = run({ type: "toggle", idx: 8 }, { type: "toggle", idx: 3 }, { type: "range", idx: 1, order: ORDER });
  assert.deepEqual(selectedInOrder(state, ORDER), [3, 9, 1, 8]);
});

test("a range without an anchor selects just the photo", () => {
  const state = run({ type: "enter" }, { type: "range", idx: 1, order: ORDER });
  assert.deepEqual(ids(state), [1]);
  assert.equal(state.anchor, 1);
});

test("Shift+Arrow without an anchor starts the range at the focused photo", () => {
  const state = run({ type: "enter" }, { type: "range", idx: 9, order: ORDER, from: 3 }, { type: "range", idx: 1, order: ORDER, from: 9 });
  assert.equal(state.anchor, 3);
  assert.deepEqual(selectedInOrder(state, ORDER), [3, 9, 1]);
});

test("a range to a photo the grid does not show changes nothing", () => {
  const state = run({ type: "toggle", idx: 3 });
  assert.equal(selectionReducer(state, { type: "range", idx: 42, order: ORDER }), state);
});

test("select all takes every photo shown; clear and exit empty the selection", () => {
  const all = run({ type: "selectAll", order: ORDER });
  assert.deepEqual(ids(all), [1, 3, 4, 7, 8, 9]);
  const cleared = selectionReducer(all, { type: "clear" });
  assert.equal(cleared.active, true);
  assert.equal(cleared.selected.size, 0);
  assert.deepEqual(selectionReducer(all, { type: "exit" }), emptySelection);
});

test("photos that left the album are dropped from the selection, and the anchor with them", () => {
  const state = run({ type: "toggle", idx: 3 }, { type: "toggle", idx: 9 }, { type: "keepOnly", order: [7, 3, 1] });
  assert.deepEqual(ids(state), [3]);
  assert.equal(state.anchor, null);
  const unchanged = run({ type: "toggle", idx: 3 });
  assert.equal(selectionReducer(unchanged, { type: "keepOnly", order: ORDER }), unchanged, "same state when nothing left");
});

test("entering twice keeps the state; the label counts the selection", () => {
  const entered = run({ type: "enter" });
  assert.equal(selectionReducer(entered, { type: "enter" }), entered);
  assert.equal(selectionLabel(0), "No photos selected");
  assert.equal(selectionLabel(3), "3 selected");
});
