"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { createClient } from "@/lib/supabase/client";
import { PHOTOS_BUCKET, SIGNED_URL_SECONDS } from "@/lib/albums";
import { signerFor, writeAlbumZip, type ZipPhoto, type ZipProgress } from "@/lib/album-zip-download";
import { openSaveTarget } from "@/lib/zip-save-target";

export type ZipDownloadState =
  | { phase: "idle" }
  | { phase: "running"; what: string; progress: ZipProgress }
  | { phase: "done"; what: string; progress: ZipProgress; toDisk: boolean }
  | { phase: "failed"; what: string; message: string };

/**
 * Runs one zip download at a time (docs/architecture.md#downloading-photos-as-a-zip): `start` must be
 * called from the click itself, since the save picker needs its user activation; `cancel` stops it and
 * discards what was written. Leaving the page cancels it too.
 */
export function useZipDownload() {
  const [state, setState] = useState<ZipDownloadState>({ phase: "idle" });
  const running = useRef<AbortController | null>(null);
  useEffect(() => () => running.current?.abort(), []);

  const start = useCallback(async (photos: ZipPhoto[], fileName: string, what: string) => {
    if (running.current || photos.length === 0) return;
    const cancel = new AbortController();
    running.current = cancel;
    try {
      const target = await openSaveTarget(fileName);
      if (!target) return; // the picker was closed: nothing to do
      const bucket = createClient().storage.from(PHOTOS_BUCKET);
      const total = photos.reduce((sum, p) => sum + p.size, 0);
      setState({ phase: "running", what, progress: { photosDone: 0, photosTotal: photos.length, bytesDone: 0, bytesTotal: total } });
      const progress = await writeAlbumZip(photos, target.stream, {
        sign: signerFor(bucket, SIGNED_URL_SECONDS),
        signal: cancel.signal,
        onProgress: (p) => setState({ phase: "running", what, progress: p }),
      });
      target.finish();
      setState({ phase: "done", what, progress, toDisk: target.kind === "file" });
    } catch (error) {
      setState({ phase: "failed", what, message: (error as Error).message });
    } finally {
      running.current = null;
    }
  }, []);

  const cancel = useCallback(() => running.current?.abort(), []);
  const dismiss = useCallback(() => setState({ phase: "idle" }), []);
  return { state, start, cancel, dismiss };
}
