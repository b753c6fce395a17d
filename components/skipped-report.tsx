import type { EntryView } from "@/lib/album-state";
import { EntryList } from "@/components/entry-list";

/** Every entry that did not become a photo, with the reason, so nothing is lost silently. */
export function SkippedReport({ entries }: { entries: EntryView[] }) {
  if (entries.length === 0) return null;
  const failed = entries.filter((e) => e.status === "failed").length;
  return (
    <section aria-labelledby="skipped-heading" className="flex flex-col gap-2">
      <h2 id="skipped-heading" className="text-lg font-semibold">
        Skipped files
      </h2>
      <p className="text-sm text-stone-700">
        {entries.length.toLocaleString("en-US")} {entries.length === 1 ? "file was" : "files were"} not added
        {failed > 0 ? ` (${failed.toLocaleString("en-US")} failed)` : ""}. Your archive still has them.
      </p>
      <EntryList entries={entries} label="Skipped files" />
    </section>
  );
}
