/**
 * An `extracting` album whose worker was killed before it could record `interrupted` never moves again.
 * A running job writes its album every 10 s; once nothing has moved for a minute, the album-upload
 * function takes the same zip again to continue it (migration 20261203001000_extraction_heartbeat.sql),
 * so the album is shown as interrupted, with the drop zone to resume it. Pure; see stalled-extraction.test.ts.
 */
import type { AlbumStatus } from "@/lib/database.types";
import type { AlbumSummary } from "@/lib/album-state";

/** extraction_stale_after() in the migrations (the test compares them): six of a running job's heartbeats. */
export const EXTRACTION_STALE_AFTER_MS = 60_000;

export const STALLED_REASON = "The server stopped working on this archive without saying so: nothing has moved for over a minute.";

/**
 * Milliseconds until an `extracting` album counts as stalled (0: it does), from its last sign of life;
 * null when it never will (another status, or no known time). The server's clock decides in the end:
 * a drop it finds too early is refused with how long to wait.
 */
export function msUntilStalled(status: AlbumStatus, lastActivity: number, now: number): number | null {
  if (status !== "extracting" || !Number.isFinite(lastActivity)) return null;
  return Math.max(0, lastActivity + EXTRACTION_STALE_AFTER_MS - now);
}

export function isStalled(status: AlbumStatus, lastActivity: number, now: number): boolean {
  return msUntilStalled(status, lastActivity, now) === 0;
}

/** The summary as shown: a stalled extraction reads as interrupted, with a reason that says what happened. */
export function shownSummary(summary: AlbumSummary, stalled: boolean): AlbumSummary {
  return stalled && summary.status === "extracting" ? { ...summary, status: "interrupted", error: STALLED_REASON } : summary;
}
