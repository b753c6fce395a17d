"use client";

import { memo, useEffect, useMemo, useRef, useState, type RefObject } from "react";
import type { EntryView } from "@/lib/album-state";
import { useSignedUrls } from "@/hooks/use-signed-urls";
import { Lightbox } from "@/components/lightbox";
import { tileTransform } from "@/lib/renditions";

/** Memoised: a new batch of URLs or a landing photo re-renders only the tiles it changes. */
// The tile clips its image, not the button, so the focus ring drawn around the button stays visible.
const PhotoTile = memo(function PhotoTile({ photo, url, index, onOpen }: { photo: EntryView; url?: string; index: number; onOpen: (index: number) => void }) {
  return (
    <li className="aspect-square">
      <button
        type="button"
        onClick={() => onOpen(index)}
        className="block h-full w-full overflow-hidden rounded-md bg-stone-200 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-stone-900"
        aria-label={`Open ${photo.name}`}
      >
        {url && <img src={url} alt="" loading="lazy" decoding="async" className="h-full w-full object-cover" />}
      </button>
    </li>
  );
});

/** Tiles rendered at first and added per scroll step; only rendered tiles get signed URLs. */
const STEP = 60;

/**
 * The album's photos, in archive order, appearing as they land. Tiles are added as the sentinel at
 * the end scrolls into view, so a 2,000-photo album starts with 60 images and 1 request for URLs.
 */
export function PhotoGrid({ photos }: { photos: EntryView[] }) {
  const [shown, setShown] = useState(STEP);
  const [open, setOpen] = useState<number | null>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  const visible = useMemo(() => photos.slice(0, shown), [photos, shown]);
  const paths = useMemo(() => visible.map((p) => p.path!).filter(Boolean), [visible]);
  const grid = useRef<HTMLUListElement>(null);
  const tileCssPx = useTileWidth(grid, visible.length > 0);
  const transform = useMemo(() => (tileCssPx === null ? null : tileTransform(tileCssPx, window.devicePixelRatio)), [tileCssPx]);
  // Renditions sized for the tile on this screen; originals only where the project cannot render.
  const urls = useSignedUrls(paths, transform);

  useEffect(() => {
    const target = sentinel.current;
    if (!target) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) setShown((n) => n + STEP);
      },
      { rootMargin: "800px 0px" },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [visible.length, photos.length]);

  if (photos.length === 0) return null;
  return (
    <>
      <ul ref={grid} className="grid grid-cols-3 gap-1 sm:grid-cols-4 sm:gap-2 md:grid-cols-5 lg:grid-cols-6" aria-label="Photos">
        {visible.map((photo, i) => (
          <PhotoTile key={photo.idx} photo={photo} url={photo.path ? urls.get(photo.path) : undefined} index={i} onOpen={setOpen} />
        ))}
      </ul>
      {shown < photos.length && <div ref={sentinel} className="h-8" aria-hidden="true" />}
      {open !== null && photos[open] && (
        <Lightbox photos={photos} index={open} onIndex={setOpen} onClose={() => setOpen(null)} />
      )}
    </>
  );
}

/** The CSS width of one tile (all are equal), followed as the window resizes; null until measured. */
function useTileWidth(grid: RefObject<HTMLUListElement | null>, hasTiles: boolean): number | null {
  const [width, setWidth] = useState<number | null>(null);
  useEffect(() => {
    const list = grid.current;
    if (!list) return;
    const measure = () => {
      const tile = list.firstElementChild;
      if (tile) setWidth(Math.round(tile.getBoundingClientRect().width));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(list);
    return () => observer.disconnect();
  }, [grid, hasTiles]);
  return width;
}
