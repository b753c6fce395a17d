"use client";

import { useCallback, useMemo, useSyncExternalStore } from "react";
import { useUploadQueue } from "@/components/upload-queue-provider";

/**
 * The upload queue as one drop zone sees it: the archives dropped there (on an album, or on the home
 * page when `albumId` is absent), plus, on an album's page, an archive from the home page being sent
 * into that album. The queue itself (lib/upload-queue.ts) lives above the routes.
 */
export function useZipUpload(albumId?: string) {
  const queue = useUploadQueue();
  const snapshot = useSyncExternalStore(queue.subscribe, queue.getSnapshot, queue.getSnapshot);
  const items = useMemo(
    () => snapshot.items.filter((i) => i.target === albumId || (albumId !== undefined && i.albumId === albumId)),
    [snapshot.items, albumId],
  );
  const running = items.some((i) => ["waiting", "starting", "uploading"].includes(i.phase));
  const add = useCallback((files: File[]) => queue.add(files, albumId), [queue, albumId]);
  const start = useCallback(() => queue.start(albumId), [queue, albumId]);
  const remove = useCallback((key: string) => queue.remove(key), [queue]);
  const cancel = useCallback((...keys: string[]) => queue.cancel(...keys), [queue]);
  return { items, running, add, remove, start, cancel };
}
