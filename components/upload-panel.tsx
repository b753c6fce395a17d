"use client";

import { useEffect, useRef } from "react";
import { useZipUpload } from "@/hooks/use-zip-upload";
import { Button } from "@/components/ui/button";
import { UploadDropZone } from "@/components/upload-drop-zone";
import { UploadQueueItem } from "@/components/upload-queue-item";

/**
 * Drop → pre-flight → upload. On the home page each zip becomes a new album; given an `albumId`, a zip
 * dropped here goes into that album: the same zip resumes it, another one adds its photos.
 */
export function UploadPanel({
  albumId,
  onAccepted,
  title = "Add an album",
  label,
  hint,
}: {
  albumId?: string;
  /** Called when an archive dropped here is wholly with the server. */
  onAccepted?: () => void;
  title?: string;
  label?: string;
  hint?: string;
}) {
  const { items, running, add, remove, start, cancel } = useZipUpload(albumId);
  const startable = items.filter((i) => i.phase === "ready" || (i.phase === "failed" && i.report && !i.report.blocked)).length;
  const checking = items.some((i) => i.phase === "checking");
  const accepted = items.filter((i) => i.phase === "accepted").length;
  // Cancel here stops the archives of this drop zone only; each archive also has its own Cancel.
  const active = items.filter((i) => ["waiting", "starting", "uploading"].includes(i.phase));
  const seen = useRef(accepted);
  useEffect(() => {
    if (accepted > seen.current) onAccepted?.();
    seen.current = accepted;
  }, [accepted, onAccepted]);

  return (
    <section aria-labelledby="upload-heading" className="flex flex-col gap-4">
      <h2 id="upload-heading" className="text-lg font-semibold">
        {title}
      </h2>
      <UploadDropZone
        onFiles={(files) => add(albumId ? files.slice(0, 1) : files)}
        multiple={!albumId}
        disabled={running}
        label={label ?? (albumId ? "Drop a zip here" : "Drop zip files here")}
        hint={hint}
      />
      {items.length > 0 && (
        <ul className="flex flex-col gap-3" aria-label="Archives to upload">
          {items.map((item) => (
            <UploadQueueItem key={item.key} item={item} onRemove={() => remove(item.key)} onCancel={active.length > 1 ? () => cancel(item.key) : undefined} />
          ))}
        </ul>
      )}
      {items.length > 0 && (
        <div className="flex flex-wrap gap-2">
          {running ? (
            <Button variant="danger" onClick={() => cancel(...active.map((i) => i.key))}>
              {active.length > 1 ? "Cancel all" : "Cancel upload"}
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
