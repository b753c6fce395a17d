/**
 * The album grid as rows for a virtualised list (docs/architecture.md#photos-in-time-and-folders): a
 * heading row per day, then rows of `columns` tiles, so a 10,000-photo album renders only the rows on
 * screen. Photos are numbered 0..n-1 in the order shown (time order); rows refer to them by range.
 * Pure; see grid-layout.test.ts.
 */

export type GridRow =
  | { kind: "day"; key: string; day: string; count: number }
  | { kind: "tiles"; key: string; from: number; to: number };

export type GridLayout = {
  rows: GridRow[];
  /** The row each photo sits in, by its place in the order shown. */
  rowOf: number[];
};

/** Columns for a grid this many CSS pixels wide: tiles of roughly 110–210 px, 3 on a phone, 6 at most. */
export function gridColumns(widthPx: number): number {
  if (widthPx < 480) return 3;
  if (widthPx < 640) return 4;
  if (widthPx < 900) return 5;
  return 6;
}

/** The gap between tiles: tighter on a phone. */
export function gridGap(widthPx: number): number {
  return widthPx < 640 ? 4 : 8;
}

/** The side of one square tile when `columns` tiles and their gaps fill `widthPx`. */
export function tileSide(widthPx: number, columns: number, gap: number): number {
  return Math.max(1, Math.floor((widthPx - gap * (columns - 1)) / columns));
}

/** Rows for day sections of these sizes, in order (each section's photos follow the previous ones). */
export function gridLayout(sections: readonly { key: string; count: number }[], columns: number): GridLayout {
  const rows: GridRow[] = [];
  const rowOf: number[] = [];
  let from = 0;
  for (const section of sections) {
    rows.push({ kind: "day", key: `day:${section.key}`, day: section.key, count: section.count });
    const end = from + section.count;
    for (let start = from; start < end; start += columns) {
      const to = Math.min(start + columns, end);
      for (let i = start; i < to; i++) rowOf.push(rows.length);
      rows.push({ kind: "tiles", key: `tiles:${section.key}:${start - from}`, from: start, to });
    }
    from = end;
  }
  return { rows, rowOf };
}

export type GridKey = "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown";

/**
 * The photo an arrow key moves to from photo `index`: left and right step through the order shown, up
 * and down go to the row above or below (past day headings) in the same column, or its last tile when
 * that row is shorter. Null at the ends.
 */
export function neighbour(layout: GridLayout, index: number, key: GridKey): number | null {
  const total = layout.rowOf.length;
  if (index < 0 || index >= total) return null;
  if (key === "ArrowLeft") return index > 0 ? index - 1 : null;
  if (key === "ArrowRight") return index < total - 1 ? index + 1 : null;
  const here = layout.rows[layout.rowOf[index]];
  if (here.kind !== "tiles") return null;
  const column = index - here.from;
  const step = key === "ArrowUp" ? -1 : 1;
  for (let r = layout.rowOf[index] + step; r >= 0 && r < layout.rows.length; r += step) {
    const row = layout.rows[r];
    if (row.kind === "tiles") return Math.min(row.from + column, row.to - 1);
  }
  return null;
}
