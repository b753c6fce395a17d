"use client";

import { memo, type CSSProperties } from "react";
import type { EntryView } from "@/lib/album-state";
import { DownloadOriginalLink, unavailableMessage, usePreviewFailure } from "@/components/unavailable-photo";

export type PhotoTileProps = {
  photo: EntryView;
  /** Its place in the order the grid shows (and the lightbox steps through). */
  index: number;
  /** A signed rendition URL; absent while it is being signed (the tile stays a grey square). */
  url?: string;
  /** A click: opens the photo, or in selection mode selects it (`shift`: a range). */
  onOpen: (index: number, shift: boolean) => void;
  /** Where the virtualised grid places the tile (absolute, in its row). */
  style?: CSSProperties;
  /** Selection mode: the tile is a toggle (aria-pressed) with a visible check box. */
  selecting?: boolean;
  selected?: boolean;
};

/**
 * One square photo in the album grid, a button that opens the lightbox — or, in selection mode, a
 * toggle (aria-pressed) with a visible check box. Memoised: a new batch of URLs
 * or a landing photo re-renders only the tiles it changes. The grid finds a tile to focus by its
 * `data-photo-index` (arrow keys).
 */
// The tile clips its image, not the button, so the focus ring drawn around the button stays visible.
export const PhotoTile = memo(function PhotoTile({ photo, index, url, onOpen, style, selecting = false, selected = false }: PhotoTileProps) {
  // A photo no image can show says so and offers its original, beside (not inside) the tile's button.
  const preview = usePreviewFailure(url);
  const unavailable = preview.failed ? unavailableMessage(photo.name) : null;
  return (
    <li className="absolute left-0 top-0" style={style} data-preview={unavailable ? "unavailable" : undefined}>
      <button
        type="button"
        data-photo-index={index}
        onClick={(event) => onOpen(index, event.shiftKey)}
        className="relative block h-full w-full rounded-md bg-stone-200 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-stone-900"
        aria-label={`${selecting ? "Select" : "Open"} ${photo.name}${unavailable ? `: ${unavailable}` : ""}`}
        aria-pressed={selecting ? selected : undefined}
      >
        <span className={`block h-full w-full overflow-hidden rounded-md ${selected ? "ring-4 ring-inset ring-blue-700" : ""}`}>
          {unavailable ? (
            <span className="flex h-full w-full items-start justify-center p-2 pt-[22%] text-center text-xs font-medium text-stone-700">{unavailable}</span>
          ) : (
            url && <img src={url} alt="" loading="lazy" decoding="async" onError={preview.onError} className={`h-full w-full object-cover ${selected ? "scale-90 rounded-md" : ""}`} />
          )}
        </span>
        {selecting && (
          <span
            aria-hidden="true"
            className={`absolute left-1.5 top-1.5 flex h-6 w-6 items-center justify-center rounded-full border-2 text-sm font-bold ${selected ? "border-blue-700 bg-blue-700 text-white" : "border-white bg-stone-900/40 text-transparent"}`}
          >
            ✓
          </span>
        )}
      </button>
      {unavailable && photo.path && !selecting && (
        <DownloadOriginalLink
          path={photo.path}
          name={photo.name}
          className="absolute bottom-2 left-1/2 -translate-x-1/2 whitespace-nowrap rounded-md border border-stone-400 bg-white px-2 py-1 text-xs font-medium text-stone-900 hover:bg-stone-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-stone-900"
        />
      )}
    </li>
  );
});
