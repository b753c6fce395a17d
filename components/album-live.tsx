"use client";

import { useMemo } from "react";
import type { AlbumRow } from "@/lib/database.types";
import { isActive } from "@/lib/album-state";
import { useAlbumProgress } from "@/hooks/use-album-progress";
import { useMissingParts } from "@/hooks/use-missing-parts";
import { useZipUpload } from "@/hooks/use-zip-upload";
import { missingPartsMessage, partsToAskFor } from "@/lib/missing-parts";
import { Notice } from "@/components/ui/notice";
import { AlbumProgress } from "@/components/album-progress";
import { AlbumStatusNotice } from "@/components/album-status-notice";
import { EntryList } from "@/components/entry-list";
import { LiveSummary } from "@/components/live-summary";
import { PhotoGrid } from "@/components/photo-grid";
import { SkippedReport } from "@/components/skipped-report";
import { UploadPanel } from "@/components/upload-panel";

/** The album page's live part: progress, photos as they land, per-file statuses, the skipped report. */
export function AlbumLive({ album }: { album: AlbumRow }) {
  const { summary, entries, loaded, loadError, channel, exists, reload } = useAlbumProgress(album);
  const photos = useMemo(() => entries.filter((e) => e.status === "uploaded" && e.path), [entries]);
  const notAdded = useMemo(() => entries.filter((e) => e.status === "skipped" || e.status === "failed"), [entries]);
  const active = isActive(summary.status);
  const resumable = summary.status === "interrupted" || summary.status === "uploading";
  // Archives dropped on this album, or sent into it from the home page: the panel shows them whatever
  // the album's status says meanwhile (the upload itself runs in the queue above the routes).
  const { items: uploads, running: receiving } = useZipUpload(album.id);
  const done = summary.uploaded + summary.skipped + summary.failed;
  const missing = useMissingParts(album.id, `${summary.status}:${done}:${receiving}`);
  // Parts of an archive no one is sending (not this tab, nor another): the page closed, the upload was
  // cancelled, or the connection was lost.
  const lacking = partsToAskFor(missing, summary.status, receiving);
  const waitsForZip = summary.status === "interrupted" || lacking !== null;
  // Archives dropped on this page and not yet wholly sent keep the panel open, whatever the status does.
  const droppedHere = uploads.some((i) => i.target === album.id && i.phase !== "accepted");
  const showPanel = waitsForZip || receiving || droppedHere;

  if (!exists) return <Notice tone="info" title="This album was deleted." />;
  return (
    <div className="flex flex-col gap-6">
      <LiveSummary summary={summary} />
      {loadError && <Notice tone="error" title="Could not load the album">{loadError} Reload the page to try again.</Notice>}
      <AlbumStatusNotice summary={summary} />
      {lacking && (
        <Notice tone="warning" title="Parts of the archive have not arrived">
          {missingPartsMessage(lacking)} Photos already added are kept.
        </Notice>
      )}
      {showPanel && (
        <UploadPanel
          albumId={album.id}
          onAccepted={reload}
          title={receiving ? "Uploading to this album" : waitsForZip ? "Resume this album" : "Add photos to this album"}
          label={waitsForZip ? "Drop the same zip here to resume" : "Drop a zip here"}
          hint={waitsForZip ? "Photos already in the album are kept; only the parts not yet received are sent." : "Its photos join this album; photos already here are kept."}
        />
      )}
      {(active || summary.total > 0) && <AlbumProgress summary={summary} channel={channel} active={active} />}
      {summary.status === "uploading" && summary.total === 0 && !showPanel && (
        <details className="text-sm text-stone-700">
          <summary className="cursor-pointer">Upload stuck? Closed the page while it was sending?</summary>
          <div className="mt-3">
            <UploadPanel albumId={album.id} onAccepted={reload} title="Send the zip again" label="Drop the same zip here to resume" />
          </div>
        </details>
      )}
      {(summary.status === "ready" || summary.status === "partial") && !showPanel && (
        <details className="text-sm text-stone-700">
          <summary className="cursor-pointer">Add photos from another zip</summary>
          <div className="mt-3">
            <UploadPanel albumId={album.id} onAccepted={reload} title="Add photos to this album" hint="Its photos join this album; photos already here are kept." />
          </div>
        </details>
      )}

      <section aria-labelledby="photos-heading" className="flex flex-col gap-3">
        <h2 id="photos-heading" className="text-lg font-semibold">Photos</h2>
        {!loaded ? (
          <p className="text-sm text-stone-700">Loading…</p>
        ) : photos.length > 0 ? (
          <PhotoGrid photos={photos} album={{ id: album.id, name: album.name, busy: active || resumable || receiving, onChanged: reload }} />
        ) : (
          <p className="text-sm text-stone-700">{active || resumable ? "Photos appear here as they are added." : "This album has no photos."}</p>
        )}
      </section>

      {entries.length > 0 && (
        <details open={active} className="flex flex-col gap-2">
          <summary className="cursor-pointer text-lg font-semibold">Files in the archive</summary>
          <div className="mt-2">
            <EntryList entries={entries} label="Files in the archive" />
          </div>
        </details>
      )}
      {!active && <SkippedReport entries={notAdded} />}
    </div>
  );
}
