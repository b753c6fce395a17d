// The one sentence for an archive that does not fit in its owner's storage, built from the figures the
// database's quota check sends with its refusal (the JSON `detail` of its PT403 error, migration
// 20261203000100): the app shows it when an album cannot be created, the function when it refuses an
// archive. Sizes use the shared formatter, so both read alike (docs/architecture.md#byte-sizes).
import { formatBytes } from "./byte-size.ts";

/** The figures of a quota refusal, read from its detail; missing or unreadable ones are left out. */
export function quotaFigures(detail: string | null | undefined): Record<string, number> {
  try {
    const parsed: unknown = JSON.parse(detail ?? "");
    return parsed && typeof parsed === "object" ? (parsed as Record<string, number>) : {};
  } catch {
    return {};
  }
}

export function storageQuotaMessage({ requested, used, maxBytes }: Record<string, number>): string {
  if (typeof requested !== "number" || typeof used !== "number" || typeof maxBytes !== "number") {
    return "This archive does not fit in your storage. Delete albums you no longer need, then try again.";
  }
  const left = Math.max(0, maxBytes - used);
  return `This archive (${formatBytes(requested)}) does not fit in your storage: ${formatBytes(left)} of ${formatBytes(maxBytes)} is left. Delete albums you no longer need, then try again.`;
}
