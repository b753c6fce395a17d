"use client";

import { createContext, useContext, useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { browserUploadDeps } from "@/lib/browser-upload";
import { UploadQueue } from "@/lib/upload-queue";

const QueueContext = createContext<UploadQueue | null>(null);

/**
 * The tab's one upload queue, above the routes of the signed-in app: moving to another album or to
 * the home page keeps every upload going. Closing the tab asks first; what the server already holds
 * stays, and the album says to drop the same zip to continue.
 */
export function UploadQueueProvider({ children }: { children: React.ReactNode }) {
  const router = useRouter();
  const [queue] = useState(
    () =>
      new UploadQueue(
        browserUploadDeps((albumId, item, queued) => {
          if (item.target) return;
          // One archive from the home page: watch its album fill up while the rest is sent.
          // Several: the home page's grid shows each album as it is created.
          const home = queued.filter((i) => !i.target && ["waiting", "starting", "uploading"].includes(i.phase));
          if (home.length <= 1) router.push(`/albums/${albumId}`);
          else router.refresh();
        }),
      ),
  );

  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (queue.getSnapshot().running) event.preventDefault();
    };
    const leave = () => queue.leaveAll();
    window.addEventListener("beforeunload", warn);
    window.addEventListener("pagehide", leave);
    return () => {
      window.removeEventListener("beforeunload", warn);
      window.removeEventListener("pagehide", leave);
    };
  }, [queue]);

  return <QueueContext.Provider value={queue}>{children}</QueueContext.Provider>;
}

export function useUploadQueue(): UploadQueue {
  const queue = useContext(QueueContext);
  if (!queue) throw new Error("useUploadQueue needs <UploadQueueProvider> above it (the signed-in layout).");
  return queue;
}
