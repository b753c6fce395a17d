"use client";

import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from "react";
import { useWindowVirtualizer } from "@tanstack/react-virtual";
import type { EntryView } from "@/lib/album-state";
import { useSignedUrls } from "@/hooks/use-signed-urls";
import { PhotoTile } from "@/components/photo-tile";
import { gridColumns, gridGap, gridLayout, neighbour, tileSide, type GridKey } from "@/lib/grid-layout";
import { dayHeading, type DaySection } from "@/lib/photo-timeline";
import { tileTransform } from "@/lib/renditions";
import { plural } from "@/lib/format";

/** A day's heading row, in CSS pixels (the heading sits at its foot). */
const HEADING_PX = 48;
/** Rows rendered beyond each edge of the screen, so Tab and the arrow keys always find the next tile. */
const OVERSCAN_ROWS = 2;
const ARROWS = new Set<string>(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"]);
const SEPARATOR = "\u0000";

/**
 * Photos in day sections, virtualised against the window's scroll (docs/architecture.md#photos-in-time-and-folders):
 * only the rows on screen (and a margin) are in the DOM, and only their tiles get signed rendition URLs
 * — once scrolling pauses, so a fling through 10,000 photos signs what it stops on, not what it passed.
 * `photos` is the order shown; `sections` cut it into days.
 */
export function TimelineGrid({ photos, sections, onOpen, selecting = false, selected, onShiftArrow }: {
  photos: EntryView[];
  sections: DaySection<EntryView>[];
  onOpen: (index: number, shift: boolean) => void;
  /** Selection mode (components/selection-bar.tsx): tiles are toggles; `selected` holds the chosen idx. */
  selecting?: boolean;
  selected?: ReadonlySet<number>;
  /** Shift+Arrow in selection mode: focus moved from tile `from` to tile `to` (places in `photos`). */
  onShiftArrow?: (from: number, to: number) => void;
}) {
  const list = useRef<HTMLUListElement>(null);
  const width = useElementWidth(list);
  const columns = gridColumns(width ?? 0);
  const gap = gridGap(width ?? 0);
  const side = tileSide(width ?? 0, columns, gap);
  const layout = useMemo(() => gridLayout(sections.map((s) => ({ key: s.key, count: s.photos.length })), columns), [sections, columns]);
  const scrollMargin = useDocumentTop(list);
  const rowPx = side + gap;

  const virtualizer = useWindowVirtualizer({
    count: width === null ? 0 : layout.rows.length,
    estimateSize: (i) => (layout.rows[i]?.kind === "day" ? HEADING_PX : rowPx),
    getItemKey: (i) => layout.rows[i]?.key ?? i,
    overscan: OVERSCAN_ROWS,
    scrollMargin,
  });
  // Sizes are known, not measured: recompute positions when the rows or the tile size change.
  useEffect(() => virtualizer.measure(), [virtualizer, layout, rowPx]);

  const items = virtualizer.getVirtualItems();
  const visibleKey = items
    .flatMap((item) => {
      const row = layout.rows[item.index];
      return row?.kind === "tiles" ? photos.slice(row.from, row.to).flatMap((p) => (p.path ? [p.path] : [])) : [];
    })
    .join(SEPARATOR);
  const signingKey = useSettled(visibleKey, !virtualizer.isScrolling);
  const paths = useMemo(() => (signingKey ? signingKey.split(SEPARATOR) : []), [signingKey]);
  const transform = useMemo(() => (width === null ? null : tileTransform(side, window.devicePixelRatio)), [width, side]);
  // Renditions sized for the tile on this screen; originals only where the project cannot render.
  const urls = useSignedUrls(paths, transform);

  // Arrow keys move focus tile by tile; a tile off screen is scrolled to, rendered, then focused.
  const focusTarget = useRef<number | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);
  useEffect(() => {
    const target = focusTarget.current;
    if (target === null) return;
    const tile = list.current?.querySelector<HTMLElement>(`[data-photo-index="${target}"]`);
    if (!tile) return;
    focusTarget.current = null;
    tile.focus();
  });
  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const extending = event.shiftKey && selecting && onShiftArrow !== undefined;
    if (!ARROWS.has(event.key) || event.altKey || event.ctrlKey || event.metaKey || (event.shiftKey && !extending)) return;
    const tile = (event.target as HTMLElement).closest<HTMLElement>("[data-photo-index]");
    if (!tile) return;
    event.preventDefault();
    const next = neighbour(layout, Number(tile.dataset.photoIndex), event.key as GridKey);
    if (next === null) return;
    if (extending) onShiftArrow?.(Number(tile.dataset.photoIndex), next);
    focusTarget.current = next;
    virtualizer.scrollToIndex(layout.rowOf[next], { align: "auto" });
    setFocusRequest(focusRequest + 1);
  };

  return (
    <ul ref={list} aria-label="Photos" onKeyDown={onKeyDown} className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
      {items.map((item) => {
        const row = layout.rows[item.index];
        const top = item.start - scrollMargin;
        if (!row) return null;
        if (row.kind === "day") {
          return (
            <li key={item.key} className="absolute left-0 top-0 flex w-full items-end gap-3 pb-2" style={{ height: HEADING_PX, transform: `translateY(${top}px)` }}>
              <h3 className="font-semibold">{dayHeading(row.day)}</h3>
              <span className="text-sm text-stone-700">{plural(row.count, "photo")}</span>
            </li>
          );
        }
        return photos.slice(row.from, row.to).map((photo, column) => (
          <PhotoTile
            key={photo.idx}
            photo={photo}
            index={row.from + column}
            url={photo.path ? urls.get(photo.path) : undefined}
            onOpen={onOpen}
            selecting={selecting}
            selected={selected?.has(photo.idx) ?? false}
            style={{ width: side, height: side, transform: `translate(${column * rowPx}px, ${top}px)` }}
          />
        ));
      })}
    </ul>
  );
}

/** The element's content width in CSS pixels, followed as it resizes; null until measured. */
function useElementWidth(ref: RefObject<HTMLElement | null>): number | null {
  const [width, setWidth] = useState<number | null>(null);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setWidth(Math.floor(element.getBoundingClientRect().width));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

/**
 * How far the element's top sits below the top of the document: the virtualiser's scroll margin. It
 * moves when what is above it changes size (the progress panel folding, a notice appearing), which
 * changes the body's size too.
 */
function useDocumentTop(ref: RefObject<HTMLElement | null>): number {
  const [top, setTop] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => {
      const next = Math.round(element.getBoundingClientRect().top + window.scrollY);
      setTop((current) => (current === next ? current : next));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, [ref]);
  return top;
}

/** `value` as of the last time `settled` was true: held while it is false. */
function useSettled<T>(value: T, settled: boolean): T {
  const [held, setHeld] = useState(value);
  // Updated during render (React's pattern for state derived from props), not in an effect a frame later.
  if (settled && held !== value) setHeld(value);
  return settled ? value : held;
}
