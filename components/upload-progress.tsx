import { formatBytes, formatEta, formatPercent, formatSpeed } from "@/lib/format";
import { ProgressBar } from "@/components/ui/progress-bar";

/** Bytes on the wire: percent, amount, speed and time left. */
export function UploadProgress({ sent, total, speed, processing }: { sent: number; total: number; speed: number; processing: boolean }) {
  const percent = formatPercent(sent, total);
  return (
    <div className="flex flex-col gap-1.5">
      <ProgressBar value={sent} max={total} label="Upload" valueText={`${percent}, ${formatBytes(sent)} of ${formatBytes(total)}`} />
      <p className="flex flex-wrap gap-x-4 text-sm tabular-nums text-stone-700">
        <span className="font-medium text-stone-900">{percent}</span>
        <span>
          {formatBytes(sent)} of {formatBytes(total)}
        </span>
        {processing ? (
          <span>Sent — Shoebox is reading the archive…</span>
        ) : (
          <>
            <span>{formatSpeed(speed)}</span>
            <span>{formatEta(total - sent, speed)} left</span>
          </>
        )}
      </p>
    </div>
  );
}
