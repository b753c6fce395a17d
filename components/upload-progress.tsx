import { formatBytes, formatDuration, formatPercent, formatSpeed, plural } from "@/lib/format";
import type { TransferProgress } from "@/lib/transfer-meter";
import { ProgressBar } from "@/components/ui/progress-bar";

/** Bytes on the wire over every part of the archive: percent, amount, parts, speed and time left. */
export function UploadProgress({ progress }: { progress: TransferProgress }) {
  const { sent, total, speed, etaSeconds, partsDone, partsTotal, awaitingServer } = progress;
  const percent = formatPercent(sent, total);
  return (
    <div className="flex flex-col gap-1.5">
      <ProgressBar value={sent} max={total} label="Upload" valueText={`${percent}, ${formatBytes(sent)} of ${formatBytes(total)}`} />
      <p className="flex flex-wrap gap-x-4 text-sm tabular-nums text-stone-700">
        <span className="font-medium text-stone-900">{percent}</span>
        <span>
          {formatBytes(sent)} of {formatBytes(total)}
        </span>
        {partsTotal > 1 && <span>{`${partsDone.toLocaleString("en-US")} of ${plural(partsTotal, "part")} received`}</span>}
        {awaitingServer ? (
          <span>Sent — waiting for Shoebox to take it…</span>
        ) : (
          <>
            <span>{formatSpeed(speed)}</span>
            <span>{etaSeconds === null ? "time left unknown" : `${formatDuration(etaSeconds)} left`}</span>
          </>
        )}
      </p>
    </div>
  );
}
