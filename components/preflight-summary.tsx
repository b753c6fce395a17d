import type { PreflightReport } from "@/lib/zip-preflight";
import { formatBytes, plural } from "@/lib/format";

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div className="flex flex-col">
      <dt className="text-xs text-stone-600">{label}</dt>
      <dd className="font-medium text-stone-900">{value}</dd>
    </div>
  );
}

/** What is in the archive and whether it can be uploaded, before any byte is sent. */
export function PreflightSummary({ report }: { report: PreflightReport }) {
  const blocking = report.problems.filter((p) => p.blocking);
  const warnings = report.problems.filter((p) => !p.blocking);
  return (
    <div className="flex flex-col gap-3">
      {report.isZip && report.entries > 0 && (
        <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-4">
          <Fact label="Photos" value={`${report.photos.toLocaleString("en-US")} (${formatBytes(report.photoBytes)})`} />
          <Fact label="Other files" value={report.others.toLocaleString("en-US")} />
          <Fact label="System files" value={report.junk.toLocaleString("en-US")} />
          <Fact label="Unpacked size" value={`${formatBytes(report.uncompressedBytes)} (×${report.compressionRatio.toFixed(report.compressionRatio < 10 ? 2 : 0)})`} />
        </dl>
      )}
      {blocking.length > 0 && (
        <div role="alert" className="rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-950">
          <p className="font-semibold">This archive cannot be uploaded</p>
          <ul className="mt-1 list-disc space-y-1 pl-5">
            {blocking.map((p) => (
              <li key={p.code}>
                {p.message} <span className="font-medium">{p.action}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {warnings.length > 0 && (
        <ul className="space-y-1 text-sm text-stone-800" aria-label="Notes about this archive">
          {warnings.map((p) => (
            <li key={p.code} className="flex gap-2">
              <span aria-hidden="true" className="text-amber-700">•</span>
              <span>
                {p.message} {p.action !== "Nothing to do." && <span className="text-stone-700">{p.action}</span>}
              </span>
            </li>
          ))}
        </ul>
      )}
      {report.others > 0 && report.otherExamples.length > 0 && (
        <p className="text-xs text-stone-600">
          Not photos: {report.otherExamples.join(", ")}
          {report.others > report.otherExamples.length ? ` and ${plural(report.others - report.otherExamples.length, "more")}` : ""}
        </p>
      )}
    </div>
  );
}
