import type { AlbumStatus } from "@/lib/database.types";

const STATUS: Record<AlbumStatus, { label: string; classes: string }> = {
  uploading: { label: "Uploading", classes: "bg-blue-100 text-blue-900" },
  extracting: { label: "Adding photos", classes: "bg-blue-100 text-blue-900" },
  ready: { label: "Ready", classes: "bg-green-100 text-green-900" },
  partial: { label: "Some files skipped", classes: "bg-amber-100 text-amber-950" },
  failed: { label: "Failed", classes: "bg-red-100 text-red-900" },
  interrupted: { label: "Interrupted", classes: "bg-amber-100 text-amber-950" },
  cancelled: { label: "Cancelled", classes: "bg-stone-200 text-stone-900" },
};

export function statusLabel(status: AlbumStatus): string {
  return STATUS[status]?.label ?? status;
}

export function StatusBadge({ status }: { status: AlbumStatus }) {
  const { label, classes } = STATUS[status] ?? STATUS.cancelled;
  return <span className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-medium ${classes}`}>{label}</span>;
}
