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
  starting: "Preparing the album…",
  uploading: "Uploading",
  processing: "Reading the archive",
  accepted: "Uploaded — photos are being added",
  failed: "Upload failed",
  cancelled: "Cancelled — nothing was kept",
};

export function UploadQueueItem({ item, onRemove }: { item: UploadItem; onRemove?: () => void }) {
  const showProgress = item.phase === "uploading" || item.phase === "processing";
  return (
    <li className="flex flex-col gap-3 rounded-xl border border-stone-200 bg-white p-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="break-all font-medium">{item.file.name}</p>
          <p className="text-sm text-stone-700">
            {formatBytes(item.file.size)} · <span>{PHASE_TEXT[item.phase]}</span>
          </p>
        </div>
        {onRemove && !showProgress && item.phase !== "accepted" && (
          <Button variant="ghost" className="min-h-8 px-2 py-1 text-xs" onClick={onRemove} aria-label={`Remove ${item.file.name}`}>
            Remove
          </Button>
        )}
      </div>
      {item.report && !showProgress && item.phase !== "accepted" && <PreflightSummary report={item.report} />}
      {showProgress && <UploadProgress sent={item.sent} total={item.file.size} speed={item.speed} processing={item.phase === "processing"} />}
      {item.phase === "failed" && item.error && (
        <Notice tone="error" title="The upload did not go through">
          {item.error} You can try again; nothing was lost on your computer.
        </Notice>
      )}
      {item.phase === "accepted" && item.albumId && (
        <Link href={`/albums/${item.albumId}`} className="text-sm font-medium text-blue-800 underline">
          Open the album
        </Link>
      )}
    </li>
  );
}
