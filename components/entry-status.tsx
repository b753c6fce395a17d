import type { EntryStatus } from "@/lib/database.types";

const LOOK: Record<EntryStatus, { label: string; symbol: string; classes: string }> = {
  pending: { label: "Waiting", symbol: "○", classes: "text-stone-600" },
  uploaded: { label: "Added", symbol: "✓", classes: "text-green-800" },
  skipped: { label: "Skipped", symbol: "–", classes: "text-amber-800" },
  failed: { label: "Failed", symbol: "✕", classes: "text-red-800" },
};

/** Symbol plus word: colour alone would not tell the states apart for everyone. */
export function EntryStatusLabel({ status }: { status: EntryStatus }) {
  const look = LOOK[status];
  return (
    <span className={`inline-flex w-20 shrink-0 items-center gap-1 text-xs font-medium ${look.classes}`}>
      <span aria-hidden="true">{look.symbol}</span>
      {look.label}
    </span>
  );
}
