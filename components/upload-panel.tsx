"use client";

import { useCallback, useEffect } from "react";
import { useRouter } from "next/navigation";
import { useZipUpload } from "@/hooks/use-zip-upload";
import { Button } from "@/components/ui/button";
import { UploadDropZone } from "@/components/upload-drop-zone";
import { UploadQueueItem } from "@/components/upload-queue-item";

/**
 * Drop → pre-flight → upload → live view. On the home page each zip becomes a new album; given an
 * `albumId` (an interrupted album), one zip is uploaded into it again to resume.
 */
export function UploadPanel({
  albumId,
  onAccepted,
  onRunningChange,
  title = "Add an album",
}: {
  albumId?: string;
  onAccepted?: () => void;
  /** Lets a parent keep the panel mounted while it uploads, whatever the album's status does meanwhile. */
  onRunningChange?: (running: boolean) => void;
  title?: string;
}) {
  const router = useRouter();
  const onFinished = useCallback(
    (ids: string[]) => {
      if (ids.length === 0) return;
      if (albumId) return onAccepted?.();
      // One album: watch it fill up. Several: the grid shows each one's progress.
      if (ids.length === 1) router.push(`/albums/${ids[0]}`);
      else router.refresh();
    },
    [albumId, onAccepted, router],
  );
  const { items, running, add, remove, start, cancel } = useZipUpload({ albumId, onFinished });
  useEffect(() => onRunningChange?.(running), [onRunningChange, running]);
  const startable = items.filter((i) => i.phase === "ready" || (i.phase === "failed" && i.report && !i.report.blocked)).length;
  const checking = items.some((i) => i.phase === "checking");

  return (
    <section aria-labelledby="upload-heading" className="flex flex-col gap-4">
      <h2 id="upload-heading" className="text-lg font-semibold">
        {title}
      </h2>
      <UploadDropZone
        onFiles={(files) => add(albumId ? files.slice(0, 1) : files)}
        multiple={!albumId}
        disabled={running}
        label={albumId ? "Drop the same zip here to resume" : "Drop zip files here"}
        hint={albumId ? "Photos already in the album are kept; only the missing ones are added." : undefined}
      />
      {items.length > 0 && (
        <ul className="flex flex-col gap-3" aria-label="Archives to upload">
          {items.map((item) => (
            <UploadQueueItem key={item.key} item={item} onRemove={running ? undefined : () => remove(item.key)} />
          ))}
        </ul>
      )}
      {items.length > 0 && (
        <div className="flex flex-wrap gap-2">
          {running ? (
            <Button variant="danger" onClick={cancel}>
              Cancel upload
            </Button>
          ) : (
            <Button onClick={() => void start()} disabled={startable === 0 || checking}>
              {checking ? "Checking…" : startable > 1 ? `Upload ${startable} archives` : "Upload"}
            </Button>
          )}
        </div>
      )}
    </section>
  );
}
