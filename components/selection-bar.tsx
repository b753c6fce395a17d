"use client";

import { useSyncExternalStore } from "react";
import { Button } from "@/components/ui/button";
import { selectionLabel } from "@/lib/photo-selection";
import { canStreamToDisk } from "@/lib/zip-save-target";

export type SelectionBarProps = {
  selecting: boolean;
  count: number;
  /** Photos shown (what Select all takes). */
  shown: number;
  /** Why deleting is not possible now (photos still being added), or null. */
  deleteBlocked: string | null;
  downloading: boolean;
  onSelect: () => void;
  onDone: () => void;
  onSelectAll: () => void;
  onClear: () => void;
  onDelete: () => void;
  onDownloadSelection: () => void;
  onDownloadAlbum: () => void;
};

const neverChanges = () => () => {};

/**
 * The album grid's toolbar. Outside selection mode: Select, and Download album. In it: the count,
 * Select all / Clear, Download and Delete for the selection, and Done (Esc does the same).
 */
export function SelectionBar(props: SelectionBarProps) {
  const { selecting, count, shown, deleteBlocked, downloading } = props;
  // Known only in the browser (false on the server); the note shows where the zip cannot stream to disk.
  const inMemoryOnly = useSyncExternalStore(neverChanges, () => !canStreamToDisk(), () => false);
  return (
    <div className="flex flex-col gap-2">
      <div role="toolbar" aria-label="Photo actions" className="flex flex-wrap items-center gap-2">
        {selecting ? (
          <>
            <span className="min-w-28 text-sm font-medium" aria-live="polite">{selectionLabel(count)}</span>
            <Button variant="secondary" onClick={props.onSelectAll} disabled={count === shown}>Select all</Button>
            <Button variant="secondary" onClick={props.onClear} disabled={count === 0}>Clear</Button>
            <Button variant="secondary" onClick={props.onDownloadSelection} disabled={count === 0 || downloading}>Download zip</Button>
            <Button
              variant="danger"
              onClick={props.onDelete}
              disabled={count === 0 || deleteBlocked !== null}
              aria-describedby={deleteBlocked ? "delete-blocked" : undefined}
            >
              Delete
            </Button>
            <Button variant="ghost" onClick={props.onDone}>Done</Button>
          </>
        ) : (
          <>
            <Button variant="secondary" onClick={props.onSelect}>Select</Button>
            <Button variant="secondary" onClick={props.onDownloadAlbum} disabled={downloading}>Download album</Button>
          </>
        )}
      </div>
      {selecting && deleteBlocked && <p id="delete-blocked" className="text-sm text-stone-700">{deleteBlocked}</p>}
      {inMemoryOnly && (
        <p className="text-sm text-stone-700">
          This browser keeps a zip in memory until it is saved: for very large albums use a Chromium-based browser (Chrome, Edge), which writes it straight to disk.
        </p>
      )}
    </div>
  );
}
