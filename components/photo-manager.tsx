"use client";

import { useState } from "react";
import type { EntryView } from "@/lib/album-state";
import type { ZipPhoto } from "@/lib/album-zip-download";
import { zipFileName } from "@/lib/zip-save-target";
import { plural } from "@/lib/format";
import type { PhotoSelectionControls } from "@/hooks/use-photo-selection";
import { useZipDownload } from "@/hooks/use-zip-download";
import { SelectionBar } from "@/components/selection-bar";
import { DeletePhotosDialog } from "@/components/delete-photos-dialog";
import { ZipDownloadStatus } from "@/components/zip-download-status";

/** What the album page tells the grid about its album, for managing its photos. */
export type ManagedAlbum = {
  id: string;
  name: string;
  /** Photos are still being added: deleting waits until that is done. */
  busy: boolean;
  /** Read the album again (after a deletion). */
  onChanged: () => void;
};

const toZipPhoto = (photo: EntryView): ZipPhoto[] =>
  photo.path ? [{ name: photo.name, path: photo.path, size: photo.size, lastModified: photo.takenAt ? new Date(photo.takenAt) : null }] : [];

/**
 * Managing what was imported (docs/architecture.md#deleting-photos, #downloading-photos-as-a-zip): the
 * selection toolbar, the delete confirmation and the zip download with its progress. `all` is the
 * album's photos in the order shown, unfiltered; `shown` how many the grid shows (a folder filter may
 * hide some); `selection` the grid's selection.
 */
export function PhotoManager({ album, all, shown, selection }: { album: ManagedAlbum; all: EntryView[]; shown: number; selection: PhotoSelectionControls }) {
  const zip = useZipDownload();
  const [confirming, setConfirming] = useState(false);
  const byIdx = new Map(all.map((photo) => [photo.idx, photo]));
  const chosen = selection.selected.flatMap((idx) => (byIdx.has(idx) ? [byIdx.get(idx)!] : []));
  const running = zip.state.phase === "running";
  return (
    <div className="flex flex-col gap-3">
      <SelectionBar
        selecting={selection.selection.active}
        count={selection.selected.length}
        shown={shown}
        deleteBlocked={album.busy ? "Photos are still being added to this album: delete once that is done." : null}
        downloading={running}
        onSelect={selection.enter}
        onDone={selection.exit}
        onSelectAll={selection.selectAll}
        onClear={selection.clear}
        onDelete={() => setConfirming(true)}
        onDownloadSelection={() => void zip.start(chosen.flatMap(toZipPhoto), zipFileName(album.name), plural(chosen.length, "photo"))}
        onDownloadAlbum={() => void zip.start(all.flatMap(toZipPhoto), zipFileName(album.name), "the album")}
      />
      <ZipDownloadStatus state={zip.state} onCancel={zip.cancel} onDismiss={zip.dismiss} />
      <DeletePhotosDialog
        open={confirming}
        albumId={album.id}
        indexes={selection.selected}
        onClose={() => setConfirming(false)}
        onDeleted={() => {
          setConfirming(false);
          selection.exit();
          album.onChanged();
        }}
      />
    </div>
  );
}
