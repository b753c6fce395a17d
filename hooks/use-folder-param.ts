"use client";

import { useCallback } from "react";
import { useSearchParams } from "next/navigation";

/** The URL parameter holding the album's folder filter (`?folder=Day%201`), so a reload keeps it. */
export const FOLDER_PARAM = "folder";

/**
 * The folder the album is filtered to (null: all photos), kept in the URL. Changing it replaces the
 * history entry in place — Next.js keeps `useSearchParams` in step with `history.replaceState` — so no
 * server round trip and no extra Back step per click.
 */
export function useFolderParam(): [string | null, (folder: string | null) => void] {
  const folder = useSearchParams().get(FOLDER_PARAM);
  const setFolder = useCallback((next: string | null) => {
    const url = new URL(window.location.href);
    if (next === null) url.searchParams.delete(FOLDER_PARAM);
    else url.searchParams.set(FOLDER_PARAM, next);
    // URLSearchParams writes a space as "+"; "%20" reads the same and is what people expect to see.
    url.search = url.searchParams.toString().replace(/\+/g, "%20");
    // State null, as Next.js documents: a state of its own router's (the current one) is taken as its
    // own navigation and not synced into useSearchParams.
    window.history.replaceState(null, "", url);
  }, []);
  return [folder, setFolder];
}
