import type { AlbumSummary } from "@/lib/album-state";
import type { ChannelState } from "@/lib/album-channel";
import { formatBytes, formatPercent, plural } from "@/lib/format";
import { ProgressBar } from "@/components/ui/progress-bar";
import { StatusBadge } from "@/components/status-badge";

const CONNECTION: Record<ChannelState, string> = {
  joining: "Connecting…",
  joined: "Live",
  error: "Live updates unavailable — checking every few seconds",
  closed: "Reconnecting…",
};

function Count({ label, value, classes }: { label: string; value: number; classes: string }) {
  return (
    <div className="flex flex-col">
      <dt className="text-xs text-stone-600">{label}</dt>
      <dd className={`text-lg font-semibold tabular-nums ${classes}`}>{value.toLocaleString("en-US")}</dd>
    </div>
  );
}

/** The overall bars (files and bytes) and the counts, for an album that is filling up. */
export function AlbumProgress({ summary, channel, active }: { summary: AlbumSummary; channel: ChannelState; active: boolean }) {
  const done = summary.uploaded + summary.skipped + summary.failed;
  const pending = Math.max(0, summary.total - done);
  return (
    <section aria-labelledby="progress-heading" className="flex flex-col gap-3 rounded-xl border border-stone-200 bg-white p-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <div className="flex items-center gap-2">
          <h2 id="progress-heading" className="font-semibold">
            {active ? "Progress" : "Archive"}
          </h2>
          <StatusBadge status={summary.status} />
        </div>
        {active && (
          <span className="flex items-center gap-1.5 text-xs text-stone-700">
            <span aria-hidden="true" className={`inline-block h-2 w-2 rounded-full ${channel === "joined" ? "bg-green-600" : "bg-amber-500"}`} />
            {CONNECTION[channel]}
          </span>
        )}
      </div>
      <div className="flex flex-col gap-1">
        <p className="text-sm text-stone-700">
          {summary.total > 0 ? `${done.toLocaleString("en-US")} of ${plural(summary.total, "file")} (${formatPercent(done, summary.total)})` : "Waiting for the archive…"}
        </p>
        <ProgressBar value={done} max={summary.total} label="Files processed" valueText={`${done} of ${summary.total} files`} tone={active ? "blue" : "green"} />
      </div>
      {summary.bytesTotal > 0 && (
        <div className="flex flex-col gap-1">
          <p className="text-sm text-stone-700">
            {formatBytes(summary.bytesDone)} of {formatBytes(summary.bytesTotal)}
          </p>
          <ProgressBar value={summary.bytesDone} max={summary.bytesTotal} label="Bytes added" valueText={`${formatBytes(summary.bytesDone)} of ${formatBytes(summary.bytesTotal)}`} tone={active ? "blue" : "green"} />
        </div>
      )}
      <dl className="grid grid-cols-4 gap-2">
        <Count label="Added" value={summary.uploaded} classes="text-green-800" />
        <Count label="Skipped" value={summary.skipped} classes="text-amber-800" />
        <Count label="Failed" value={summary.failed} classes="text-red-800" />
        <Count label="Waiting" value={pending} classes="text-stone-800" />
      </dl>
    </section>
  );
}
