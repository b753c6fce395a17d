"use client";

import { useRef } from "react";
import { useVirtualizer } from "@tanstack/react-virtual";
import type { EntryView } from "@/lib/album-state";
import { formatBytes } from "@/lib/format";
import { EntryStatusLabel } from "@/components/entry-status";

const ROW_HEIGHT = 44;

/**
 * Every entry of the archive with its status and reason. Virtualised: only the rows in view exist in
 * the DOM, so a 10,000-entry archive scrolls as smoothly as a 10-entry one.
 */
export function EntryList({ entries, label, emptyText = "Nothing here." }: { entries: EntryView[]; label: string; emptyText?: string }) {
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design.
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  if (entries.length === 0) return <p className="text-sm text-stone-700">{emptyText}</p>;
  return (
    <div
      ref={scroller}
      tabIndex={0}
      role="region"
      aria-label={`${label} (${entries.length.toLocaleString("en-US")}, scrollable)`}
      className="max-h-80 overflow-auto rounded-lg border border-stone-200 bg-white"
    >
      <ul role="list" aria-label={label} className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((row) => {
          const entry = entries[row.index];
          return (
            <li
              key={entry.idx}
              aria-setsize={entries.length}
              aria-posinset={row.index + 1}
              className="absolute left-0 top-0 flex w-full items-center gap-3 border-b border-stone-100 px-3 text-sm"
              style={{ height: ROW_HEIGHT, transform: `translateY(${row.start}px)` }}
            >
              <EntryStatusLabel status={entry.status} />
              <span className="min-w-0 flex-1">
                <span className="block truncate" title={entry.name}>{entry.name}</span>
                {entry.reason && <span className="block truncate text-xs text-stone-700" title={entry.reason}>{entry.reason}</span>}
              </span>
              <span className="shrink-0 text-xs tabular-nums text-stone-700">{formatBytes(entry.size)}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
