/**
 * Which photos of an album are selected, as a pure reducer (hooks/use-photo-selection.ts holds it in
 * React). Photos are named by their entry index (`idx`), which stays the same while the grid's order
 * changes; ranges are taken in the order the grid shows (`order`, passed with each range action), so
 * shift-click selects what the person sees between the two tiles.
 */

export type PhotoSelection = {
  /** Selection mode: a click on a tile selects instead of opening the photo. */
  readonly active: boolean;
  readonly selected: ReadonlySet<number>;
  /** Where the next range starts: the photo last clicked or toggled without Shift. */
  readonly anchor: number | null;
};

export type SelectionAction =
  | { type: "enter" }
  | { type: "exit" }
  | { type: "toggle"; idx: number }
  /**
   * Shift-click or Shift+Arrow: everything from the anchor to `idx` (in `order`) is selected. `from`
   * anchors a range begun without one (Shift+Arrow starts at the focused photo).
   */
  | { type: "range"; idx: number; order: readonly number[]; from?: number }
  | { type: "selectAll"; order: readonly number[] }
  | { type: "clear" }
  /** The album's photos changed (some were deleted): forget selected photos that are gone. */
  | { type: "keepOnly"; order: readonly number[] };

export const emptySelection: PhotoSelection = { active: false, selected: new Set(), anchor: null };

export function selectionReducer(state: PhotoSelection, action: SelectionAction): PhotoSelection {
  switch (action.type) {
    case "enter":
      return state.active ? state : { ...state, active: true };
    case "exit":
      return emptySelection;
    case "toggle": {
      const selected = new Set(state.selected);
      if (!selected.delete(action.idx)) selected.add(action.idx);
      return { active: true, selected, anchor: action.idx };
    }
    case "range": {
      const to = action.order.indexOf(action.idx);
      if (to < 0) return state;
      const anchor = state.anchor ?? action.from ?? null;
      const from = anchor === null ? -1 : action.order.indexOf(anchor);
      if (from < 0) return selectionReducer(state, { type: "toggle", idx: action.idx });
      const selected = new Set(state.selected);
      for (let i = Math.min(from, to); i <= Math.max(from, to); i++) selected.add(action.order[i]);
      return { active: true, selected, anchor };
    }
    case "selectAll":
      return { active: true, selected: new Set(action.order), anchor: state.anchor };
    case "clear":
      return state.selected.size === 0 ? state : { ...state, selected: new Set(), anchor: null };
    case "keepOnly": {
      const present = new Set(action.order);
      const selected = new Set([...state.selected].filter((idx) => present.has(idx)));
      if (selected.size === state.selected.size && (state.anchor === null || present.has(state.anchor))) return state;
      return { ...state, selected, anchor: state.anchor !== null && present.has(state.anchor) ? state.anchor : null };
    }
  }
}

/** The selected photos in the grid's order (for deleting or downloading them in the order shown). */
export function selectedInOrder(state: PhotoSelection, order: readonly number[]): number[] {
  return order.filter((idx) => state.selected.has(idx));
}

/** "3 selected", "1 selected", "No photos selected". */
export function selectionLabel(count: number): string {
  return count === 0 ? "No photos selected" : `${count} selected`;
}
