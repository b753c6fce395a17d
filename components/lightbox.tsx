"use client";

import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import type { EntryView } from "@/lib/album-state";
import { formatBytes } from "@/lib/format";
import { signDownloadUrl, useSignedUrls } from "@/hooks/use-signed-urls";
import { Button, buttonClasses } from "@/components/ui/button";
import { screenTransform } from "@/lib/renditions";

/**
 * One photo at a time: ← and → move, Home and End go to the first and last, Esc closes (native <dialog>), focus returns to where it was.
 * The neighbours are signed too, so stepping through is instant.
 */
export function Lightbox({ photos, index, onIndex, onClose }: { photos: EntryView[]; index: number; onIndex: (i: number) => void; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const photo = photos[index];
  const paths = useMemo(
    () => [photos[index - 1], photo, photos[index + 1]].map((p) => p?.path).filter((p): p is string => Boolean(p)),
    [photos, index, photo],
  );
  // Sized for the screen once, when the viewer opens; the neighbours' images are fetched ahead.
  const [transform] = useState(() => screenTransform(window.innerWidth, window.innerHeight, window.devicePixelRatio));
  const urls = useSignedUrls(paths, transform);
  usePrefetch([photos[index - 1]?.path, photos[index + 1]?.path].flatMap((p) => (p && urls.get(p) ? [urls.get(p)!] : [])));
  const [download, setDownload] = useState<{ path: string; url: string } | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  useEffect(() => {
    if (!photo.path) return;
    let current = true;
    void signDownloadUrl(photo.path, photo.name).then((url) => {
      if (current && url) setDownload({ path: photo.path!, url });
    });
    return () => {
      current = false;
    };
  }, [photo.path, photo.name]);

  // Closing through the dialog (not by unmounting it) lets the browser return focus to the tile.
  const go = (step: number) => {
    const next = index + step;
    if (next >= 0 && next < photos.length) onIndex(next);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "ArrowLeft") go(-1);
    else if (event.key === "ArrowRight") go(1);
    else if (event.key === "Home") onIndex(0);
    else if (event.key === "End") onIndex(photos.length - 1);
    else return;
    event.preventDefault();
  };
  const url = photo.path ? urls.get(photo.path) : undefined;
  const baseName = photo.name.split("/").pop() ?? photo.name;

  return (
    <dialog
      ref={ref}
      onClose={onClose}
      onKeyDown={onKeyDown}
      aria-label={`Photo ${index + 1} of ${photos.length}: ${baseName}`}
      className="m-0 h-dvh max-h-none w-screen max-w-none bg-stone-950 p-0 text-white backdrop:bg-stone-950"
    >
      <div className="flex h-full flex-col">
        <div className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-sm">
          <p className="min-w-0 truncate" title={photo.name}>
            <span className="font-medium">{baseName}</span>
            <span className="text-stone-300"> · {formatBytes(photo.size)} · {index + 1} of {photos.length}</span>
          </p>
          <div className="flex gap-2">
            {download?.path === photo.path ? (
              <a href={download.url} className={buttonClasses("secondary", "min-h-9 py-1")}>Download original</a>
            ) : (
              <span className={buttonClasses("secondary", "min-h-9 py-1 opacity-60")} aria-hidden="true">Download original</span>
            )}
            <Button variant="secondary" className="min-h-9 py-1" onClick={() => ref.current?.close()} autoFocus>
              Close
            </Button>
          </div>
        </div>
        <div className="relative flex min-h-0 flex-1 items-center justify-center">
          {url ? (
            <img src={url} alt={baseName} className="max-h-full max-w-full object-contain" />
          ) : (
            <p className="text-stone-300">Loading…</p>
          )}
          <Button variant="secondary" className="absolute left-2 top-1/2 -translate-y-1/2" onClick={() => go(-1)} disabled={index === 0} aria-label="Previous photo">
            ←
          </Button>
          <Button variant="secondary" className="absolute right-2 top-1/2 -translate-y-1/2" onClick={() => go(1)} disabled={index === photos.length - 1} aria-label="Next photo">
            →
          </Button>
        </div>
      </div>
    </dialog>
  );
}

/** Starts loading these images now, so stepping to them shows them at once (the browser keeps them cached). */
function usePrefetch(urls: string[]): void {
  const key = urls.join("\n");
  useEffect(() => {
    if (!key) return;
    for (const url of key.split("\n")) {
      const image = new Image();
      image.decoding = "async";
      image.src = url;
    }
  }, [key]);
}
