import Link from "next/link";
import type { UploadItem, UploadPhase } from "@/lib/upload-item";
import { formatBytes } from "@/lib/format";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { PreflightSummary } from "@/components/preflight-summary";
import { UploadProgress } from "@/components/upload-progress";

const PHASE_TEXT: Record<UploadPhase, string> = {
  checking: "Checking the archive…",
  ready: "Ready to upload",
  blocked: "Cannot be uploaded",
  waiting: "Waiting",
  starting: "Reading the archive's contents…",
  uploading: "Uploading",
  accepted: "Uploaded — photos are being added",
  duplicate: "Already imported",
  failed: "Upload failed",
  cancelled: "Cancelled",
};

const ACTIVE: UploadPhase[] = ["waiting", "starting", "uploading"];

export function UploadQueueItem({ item, onRemove, onCancel }: { item: UploadItem; onRemove?: () => void; onCancel?: () => void }) {
  const active = ACTIVE.includes(item.phase);
  const showProgress = item.phase === "uploading" && item.progress;
  const settled = item.phase === "accepted" || item.phase === "duplicate";
  return (
    <li className="flex flex-col gap-3 rounded-xl border border-stone-200 bg-white p-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="break-all font-medium">{item.file.name}</p>
          <p className="text-sm text-stone-700">
            {formatBytes(item.file.size)} · <span>{PHASE_TEXT[item.phase]}</span>
          </p>
        </div>
        {onCancel && active && (
          <Button variant="ghost" className="min-h-8 px-2 py-1 text-xs" onClick={onCancel} aria-label={`Cancel ${item.file.name}`}>
            Cancel
          </Button>
        )}
        {onRemove && !active && !settled && (
          <Button variant="ghost" className="min-h-8 px-2 py-1 text-xs" onClick={onRemove} aria-label={`Remove ${item.file.name}`}>
            Remove
          </Button>
        )}
      </div>
      {item.report && !active && !settled && <PreflightSummary report={item.report} />}
      {showProgress && item.progress && <UploadProgress progress={item.progress} />}
      {item.phase === "failed" && item.error && (
        <Notice tone="error" title="The upload did not go through">
          {item.error} Nothing was lost: what the server already holds is kept, and the zip on your computer is untouched.
        </Notice>
      )}
      {item.phase === "ready" && item.imported && (
        <Notice tone="info" title={`Continues the album ‘${item.imported.albumName}’`}>
          Part of this zip is already there. Uploading sends only the parts that album is missing.
        </Notice>
      )}
      {item.phase === "duplicate" && item.alreadySending && (
        <Notice tone="info" title="This zip is being uploaded right now">
          It is already on its way into {item.imported ? `‘${item.imported.albumName}’` : "its album"}; there is nothing to drop again. Open the
          album to follow it.
        </Notice>
      )}
      {item.phase === "duplicate" && !item.alreadySending && (
        <Notice tone="info" title="This zip is already in your albums">
          {item.imported ? `It was imported into ‘${item.imported.albumName}’ before` : "It was imported before"}, so Shoebox did not add it a
          second time and sent nothing.
        </Notice>
      )}
      {item.phase === "cancelled" && item.albumId && (
        <Notice tone="info" title="Upload cancelled">
          What the album already received is kept. Drop the same zip on the album to send the rest.
        </Notice>
      )}
      {(settled || item.phase === "cancelled" || (item.phase === "failed" && item.albumId)) && item.albumId && (
        <Link href={`/albums/${item.albumId}`} className="text-sm font-medium text-blue-800 underline">
          Open the album
        </Link>
      )}
    </li>
  );
}
