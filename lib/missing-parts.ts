/**
 * What an album still lacks from an archive whose segments have not all arrived, said plainly: how
 * many parts, and which zip to drop again. Read from the archive and segment rows the owner may see;
 * a segment a live worker holds (its lease not yet expired) is on its way, not missing. Pure; see
 * missing-parts.test.ts.
 */
import type { AlbumArchiveRow, AlbumSegmentRow, AlbumStatus } from "@/lib/database.types";
import { plural } from "@/lib/format";

export type MissingParts = { archiveName: string; missing: number; total: number; inProgress: number };

export function missingParts(
  archives: Pick<AlbumArchiveRow, "id" | "name" | "status" | "ordinal">[],
  segments: Pick<AlbumSegmentRow, "archive_id" | "status" | "lease_expires_at">[],
  now: number,
): MissingParts | null {
  // An album takes a new archive only once the ones before it are complete: at most one is receiving.
  const archive = archives.filter((a) => a.status === "receiving").sort((a, b) => b.ordinal - a.ordinal)[0];
  if (!archive) return null;
  const own = segments.filter((s) => s.archive_id === archive.id);
  const pending = own.filter((s) => s.status !== "done");
  const inProgress = pending.filter((s) => s.lease_expires_at !== null && Date.parse(s.lease_expires_at) > now).length;
  if (own.length === 0 || pending.length === 0) return null;
  return { archiveName: archive.name ?? "the same zip", missing: pending.length - inProgress, total: own.length, inProgress };
}

/**
 * The missing parts the album should ask the person to send, or null when nobody need drop the zip:
 * nothing is missing, this tab is sending it, or another tab or device is (a worker holds one of its
 * parts). An album that was left (`interrupted`: its page closed or its upload cancelled) asks even
 * while a part received before is still being extracted under its lease.
 */
export function partsToAskFor(parts: MissingParts | null, status: AlbumStatus, sendingHere: boolean): MissingParts | null {
  if (!parts || sendingHere || parts.missing === 0) return null;
  if (parts.inProgress > 0 && status !== "interrupted") return null;
  return parts;
}

/** "12 of 40 parts not yet received — drop ‘trip.zip’ again to continue." */
export function missingPartsMessage({ archiveName, missing, total }: MissingParts): string {
  return `${missing.toLocaleString("en-US")} of ${plural(total, "part")} not yet received — drop ‘${archiveName}’ again to continue.`;
}
