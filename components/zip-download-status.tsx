"use client";

import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { ProgressBar } from "@/components/ui/progress-bar";
import { formatBytes, plural } from "@/lib/format";
import type { ZipDownloadState } from "@/hooks/use-zip-download";

/** How a zip download is going: photos and bytes with Cancel while it runs, then the outcome. */
export function ZipDownloadStatus({ state, onCancel, onDismiss }: { state: ZipDownloadState; onCancel: () => void; onDismiss: () => void }) {
  if (state.phase === "idle") return null;
  if (state.phase === "running") {
    const { photosDone, photosTotal, bytesDone, bytesTotal } = state.progress;
    const text = `${photosDone} of ${plural(photosTotal, "photo")}, ${formatBytes(bytesDone)} of ${formatBytes(bytesTotal)}`;
    return (
      <div className="flex flex-col gap-2 rounded-md border border-stone-300 bg-white p-3" role="status">
        <div className="flex items-center justify-between gap-3 text-sm">
          <span>Zipping {state.what}: {text}</span>
          <Button variant="secondary" className="min-h-9 py-1" onClick={onCancel}>Cancel</Button>
        </div>
        <ProgressBar value={bytesDone} max={bytesTotal} label={`Zipping ${state.what}`} valueText={text} />
      </div>
    );
  }
  return (
    <div role={state.phase === "done" ? "status" : undefined}>
      <Notice tone={state.phase === "done" ? "success" : "error"} title={state.phase === "done" ? "Zip saved" : "The zip was not saved"}>
        <span>
          {state.phase === "done"
            ? `${plural(state.progress.photosDone, "photo")} (${formatBytes(state.progress.bytesDone)}) ${state.toDisk ? "were written to the file you chose." : "are in your downloads."}`
            : state.message}
        </span>{" "}
        <button type="button" className="underline" onClick={onDismiss}>Dismiss</button>
      </Notice>
    </div>
  );
}
