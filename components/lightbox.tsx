"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import type { EntryView } from "@/lib/album-state";
import { formatBytes } from "@/lib/format";
import { signDownloadUrl, useSignedUrls } from "@/hooks/use-signed-urls";
import { useSwipe } from "@/hooks/use-swipe";
import { Button, buttonClasses } from "@/components/ui/button";
import { PHOTO_INFO_ID, PhotoInfoPanel } from "@/components/photo-info-panel";
import { screenTransform } from "@/lib/renditions";
import { UnavailablePhotoPanel, usePreviewFailure } from "@/components/unavailable-photo";

const FOCUSABLE = 'a[href], button:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * One photo at a time, in the grid's order: ← and → move, Home and End go to the first and last, `i`
 * shows the info panel, Esc closes (native <dialog>), and on a touch screen a swipe sideways steps and
 * a swipe down closes. Focus stays inside while it is open and returns to the tile on close.
 * The neighbours are signed and fetched ahead, so stepping through is instant.
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
  const [showInfo, setShowInfo] = useState(false);

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

  const last = photos.length - 1;
  const go = (step: number) => {
    const next = index + step;
    if (next >= 0 && next <= last) onIndex(next);
  };
  // Closing through the dialog (not by unmounting it) lets the browser return focus to the tile.
  const close = () => ref.current?.close();
  const swipe = useSwipe((action) => (action === "close" ? close() : go(action === "next" ? 1 : -1)));

  // On the document, not the dialog: keys must work even when focus has nowhere to be in the dialog
  // (after a click on the photo, say).
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const dialog = ref.current;
      if (!dialog?.open || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === "Tab") {
        trapFocus(dialog, event);
        return;
      }
      if (event.key === "ArrowLeft") go(-1);
      else if (event.key === "ArrowRight") go(1);
      else if (event.key === "Home") onIndex(0);
      else if (event.key === "End") onIndex(last);
      else if (event.key === "i" || event.key === "I") setShowInfo((shown) => !shown);
      else return;
      event.preventDefault();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  });

  const url = photo.path ? urls.get(photo.path) : undefined;
  const preview = usePreviewFailure(url);
  const baseName = photo.name.split("/").pop() ?? photo.name;
  const offset = swipe.offset;

  return (
    <dialog
      ref={ref}
      onClose={onClose}
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
            <Button
              variant="secondary"
              className="min-h-9 py-1"
              onClick={() => setShowInfo((shown) => !shown)}
              aria-expanded={showInfo}
              aria-controls={PHOTO_INFO_ID}
              aria-keyshortcuts="i"
            >
              Info
            </Button>
            {download?.path === photo.path ? (
              <a href={download.url} className={buttonClasses("secondary", "min-h-9 py-1")}>Download original</a>
            ) : (
              <span className={buttonClasses("secondary", "min-h-9 py-1 opacity-60")} aria-hidden="true">Download original</span>
            )}
            <Button variant="secondary" className="min-h-9 py-1" onClick={close} autoFocus>
              Close
            </Button>
          </div>
        </div>
        <div className="flex min-h-0 flex-1 flex-col md:flex-row">
          <div className="relative flex min-h-0 min-w-0 flex-1 touch-pinch-zoom items-center justify-center overflow-hidden" {...swipe.handlers}>
            {preview.failed ? (
              <UnavailablePhotoPanel path={photo.path} name={photo.name} />
            ) : url ? (
              <img
                src={url}
                alt={baseName}
                onError={preview.onError}
                draggable={false}
                className={`max-h-full max-w-full select-none object-contain ${offset ? "" : "motion-safe:transition-transform"}`}
                style={offset ? { transform: `translate(${offset.x}px, ${offset.y}px)` } : undefined}
              />
            ) : (
              <p className="text-stone-300">Loading…</p>
            )}
            {/* aria-disabled, not disabled: a disabled button drops the focus it holds at the first or last photo. */}
            <Button
              variant="secondary"
              className="absolute left-2 top-1/2 -translate-y-1/2 aria-disabled:cursor-not-allowed aria-disabled:opacity-50"
              onClick={() => go(-1)}
              aria-disabled={index === 0 || undefined}
              aria-label="Previous photo"
            >
              ←
            </Button>
            <Button
              variant="secondary"
              className="absolute right-2 top-1/2 -translate-y-1/2 aria-disabled:cursor-not-allowed aria-disabled:opacity-50"
              onClick={() => go(1)}
              aria-disabled={index === last || undefined}
              aria-label="Next photo"
            >
              →
            </Button>
          </div>
          {showInfo && <PhotoInfoPanel photo={photo} />}
        </div>
      </div>
    </dialog>
  );
}

/**
 * Tab and Shift+Tab cycle through the dialog's controls. A modal <dialog> already makes the page
 * behind it inert, but without this Tab leaves the last control for the browser's own toolbar.
 */
function trapFocus(dialog: HTMLDialogElement, event: KeyboardEvent): void {
  const controls = Array.from(dialog.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.getClientRects().length > 0);
  if (controls.length === 0) return;
  const first = controls[0];
  const final = controls[controls.length - 1];
  const active = document.activeElement;
  const inside = active instanceof HTMLElement && dialog.contains(active) && active !== dialog;
  if (event.shiftKey && (!inside || active === first)) {
    final.focus();
    event.preventDefault();
  } else if (!event.shiftKey && (!inside || active === final)) {
    first.focus();
    event.preventDefault();
  }
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
