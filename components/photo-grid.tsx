"use client";

import { useCallback, useMemo, useState } from "react";
import type { EntryView } from "@/lib/album-state";
import { Lightbox } from "@/components/lightbox";
import { FolderFilter } from "@/components/folder-filter";
import { TimelineGrid } from "@/components/timeline-grid";
import { useFolderParam } from "@/hooks/use-folder-param";
import { folderIndex } from "@/lib/photo-folders";
import { daySections, inTimeOrder } from "@/lib/photo-timeline";
import { usePhotoSelection } from "@/hooks/use-photo-selection";
import { PhotoManager, type ManagedAlbum } from "@/components/photo-manager";

/**
 * The album's photos in the order they were taken, in day sections, appearing in their day as they
 * land (docs/architecture.md#photos-in-time-and-folders). An archive with two folders or more offers
 * them as a filter, kept in the URL. The lightbox steps through the photos in the same order.
 */
export function PhotoGrid({ photos, album }: { photos: EntryView[]; album?: ManagedAlbum }) {
  const ordered = useMemo(() => inTimeOrder(photos), [photos]);
  const folders = useMemo(() => folderIndex(ordered.map((p) => p.name)), [ordered]);
  const [folderParam, setFolder] = useFolderParam();
  const filterable = folders.folders.length >= 2;
  // A folder named in the URL that this album does not have (yet) shows every photo.
  const folder = filterable && folders.folders.some((f) => f.key === folderParam) ? folderParam : null;
  const shown = useMemo(() => (folder === null ? ordered : ordered.filter((p) => folders.folderOf(p.name) === folder)), [ordered, folders, folder]);
  const sections = useMemo(() => daySections(shown), [shown]);

  // The open photo by its idx, not its place: a photo landing earlier in time must not change which is shown.
  const [openIdx, setOpenIdx] = useState<number | null>(null);
  const open = openIdx === null ? -1 : shown.findIndex((p) => p.idx === openIdx);
  const openAt = useCallback((index: number) => setOpenIdx(shown[index]?.idx ?? null), [shown]);

  // Selection (components/photo-manager.tsx): in selection mode a click selects, Shift a range in this order.
  const order = useMemo(() => shown.map((p) => p.idx), [shown]);
  const selection = usePhotoSelection(order);
  const { selection: { active: selecting }, toggle, extendTo } = selection;
  const onTile = useCallback((index: number, shift: boolean) => {
    const idx = shown[index]?.idx;
    if (idx === undefined) return;
    if (!selecting) setOpenIdx(idx);
    else if (shift) extendTo(idx);
    else toggle(idx);
  }, [shown, selecting, extendTo, toggle]);
  const onShiftArrow = useCallback((from: number, to: number) => {
    const [fromIdx, toIdx] = [shown[from]?.idx, shown[to]?.idx];
    if (fromIdx !== undefined && toIdx !== undefined) extendTo(toIdx, fromIdx);
  }, [shown, extendTo]);

  if (photos.length === 0) return null;
  return (
    <>
      {filterable && <FolderFilter folders={folders.folders} total={ordered.length} selected={folder} onSelect={setFolder} />}
      {album && <PhotoManager album={album} all={ordered} shown={shown.length} selection={selection} />}
      <TimelineGrid photos={shown} sections={sections} onOpen={onTile} selecting={selecting} selected={selection.selection.selected} onShiftArrow={onShiftArrow} />
      {open >= 0 && <Lightbox photos={shown} index={open} onIndex={openAt} onClose={() => setOpenIdx(null)} />}
    </>
  );
}
