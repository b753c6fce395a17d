import type { AlbumSummary } from "@/lib/album-state";
import { plural } from "@/lib/format";
import { Notice } from "@/components/ui/notice";

/** Why an album stopped, and what to do about it. The resume drop zone sits just below. */
export function AlbumStatusNotice({ summary }: { summary: AlbumSummary }) {
  switch (summary.status) {
    case "interrupted":
      return (
        <Notice tone="warning" title="The upload stopped before every photo was added">
          <p className="font-medium">
            {plural(summary.uploaded, "photo")} {summary.uploaded === 1 ? "was" : "were"} added and {summary.uploaded === 1 ? "is" : "are"} kept.
            Drop the same zip below to continue where it stopped; nothing is added twice.
          </p>
          {summary.error && <p className="mt-1">Reason: {summary.error}</p>}
        </Notice>
      );
    case "failed":
      return (
        <Notice tone="error" title="This album could not be created">
          <p>{summary.error ?? "The archive could not be processed."}</p>
          <p className="mt-1 font-medium">
            Check the archive opens on your computer, then delete this album and upload the zip again. If it keeps
            failing, zip the photos anew.
          </p>
        </Notice>
      );
    case "partial":
      return (
        <Notice tone="warning" title="Some files were not added">
          {plural(summary.skipped + summary.failed, "file")} {summary.skipped + summary.failed === 1 ? "was" : "were"} skipped or failed; the
          report below lists each one with the reason.
        </Notice>
      );
    case "cancelled":
      return <Notice tone="info" title="This upload was cancelled">Upload the zip again as a new album if you still want it.</Notice>;
    default:
      return null;
  }
}
