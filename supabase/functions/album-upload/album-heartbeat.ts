// A running job's sign of life (migration 20261203001000): while work for an `extracting` album goes on
// in this worker — a segment being spooled, entries being extracted — the album is written every
// HEARTBEAT_MS, whether or not a photo finished meanwhile. Hosted Edge Functions give no signal when a
// worker dies without `beforeunload` (a host stopped hard, a crash), so an album unwritten for
// extraction_stale_after() — a minute, six heartbeats — has no worker left and the same zip resumes it.
import type { AlbumStore } from "./album-store.ts";

export const HEARTBEAT_MS = 10_000;

/** Runs `work`, writing the album every `everyMs` until it settles; a missed beat is only a delay. */
export async function whileBeating<T>(store: Pick<AlbumStore, "heartbeat">, albumId: string, work: Promise<T>, everyMs = HEARTBEAT_MS): Promise<T> {
  const timer = setInterval(() => void store.heartbeat(albumId).catch(() => false), everyMs);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
