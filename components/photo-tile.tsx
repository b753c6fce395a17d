"use client";

import { memo, type CSSProperties } from "react";
import type { EntryView } from "@/lib/album-state";

export type PhotoTileProps = {
  photo: EntryView;
  /** Its place in the order the grid shows (and the lightbox steps through). */
  index: number;
  /** A signed rendition URL; absent while it is being signed (the tile stays a grey square). */
  url?: string;
  onOpen: (index: number) => void;
  /** Where the virtualised grid places the tile (absolute, in its row). */
  style?: CSSProperties;
};

/**
 * One square photo in the album grid, a button that opens the lightbox. Memoised: a new batch of URLs
 * or a landing photo re-renders only the tiles it changes. The grid finds a tile to focus by its
 * `data-photo-index` (arrow keys).
 */
// The tile clips its image, not the button, so the focus ring drawn around the button stays visible.
export const PhotoTile = memo(function PhotoTile({ photo, index, url, onOpen, style }: PhotoTileProps) {
  return (
    <li className="absolute left-0 top-0" style={style}>
      <button
        type="button"
        data-photo-index={index}
        onClick={() => onOpen(index)}
        className="block h-full w-full rounded-md bg-stone-200 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-stone-900"
        aria-label={`Open ${photo.name}`}
      >
        <span className="block h-full w-full overflow-hidden rounded-md">
          {url && <img src={url} alt="" loading="lazy" decoding="async" className="h-full w-full object-cover" />}
        </span>
      </button>
    </li>
  );
});
