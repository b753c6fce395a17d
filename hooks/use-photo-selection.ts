"use client";

import { useCallback, useEffect, useMemo, useReducer, useRef } from "react";
import { emptySelection, selectedInOrder, selectionReducer, type PhotoSelection } from "@/lib/photo-selection";

export type PhotoSelectionControls = {
  selection: PhotoSelection;
  /** The selected photos' idx, in the order shown. */
  selected: number[];
  enter: () => void;
  exit: () => void;
  toggle: (idx: number) => void;
  /** Shift-click and Shift+Arrow: from the anchor (or `from`, without one) to `idx`. */
  extendTo: (idx: number, from?: number) => void;
  selectAll: () => void;
  clear: () => void;
};

/**
 * The album grid's selection (lib/photo-selection.ts) over `order`, the photos' idx in the order the
 * grid shows them. Keys on the page: Esc leaves selection mode; Ctrl+A / Cmd+A selects every photo shown
 * while selecting or while focus is on a photo. Both stand back while a dialog is open or a text field
 * has focus, so they never take the keys of the lightbox, a confirmation or a form.
 */
export function usePhotoSelection(order: readonly number[]): PhotoSelectionControls {
  const [selection, dispatch] = useReducer(selectionReducer, emptySelection);
  const latest = useRef({ selection, order });
  useEffect(() => {
    latest.current = { selection, order };
  });
  // Photos deleted, or filtered out of view, leave the selection.
  useEffect(() => dispatch({ type: "keepOnly", order }), [order]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || document.querySelector("dialog[open]")) return;
      const target = event.target instanceof Element ? event.target : null;
      if (target?.closest("input, textarea, select, [contenteditable='true']")) return;
      const { selection: current, order: shown } = latest.current;
      if (event.key === "Escape" && current.active) {
        event.preventDefault();
        dispatch({ type: "exit" });
      } else if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "a") {
        if (!current.active && !target?.closest("[data-photo-index]")) return;
        event.preventDefault();
        dispatch({ type: "selectAll", order: shown });
      }
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, []);

  const enter = useCallback(() => dispatch({ type: "enter" }), []);
  const exit = useCallback(() => dispatch({ type: "exit" }), []);
  const toggle = useCallback((idx: number) => dispatch({ type: "toggle", idx }), []);
  const extendTo = useCallback((idx: number, from?: number) => dispatch({ type: "range", idx, order: latest.current.order, from }), []);
  const selectAll = useCallback(() => dispatch({ type: "selectAll", order: latest.current.order }), []);
  const clear = useCallback(() => dispatch({ type: "clear" }), []);
  const selected = useMemo(() => selectedInOrder(selection, order), [selection, order]);
  return { selection, selected, enter, exit, toggle, extendTo, selectAll, clear };
}
