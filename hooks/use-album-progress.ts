"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { createClient } from "@/lib/supabase/client";
import type { AlbumRow } from "@/lib/database.types";
import { joinAlbumChannel, type ChannelState } from "@/lib/album-channel";
import { loadAlbum, loadAlbumVersion } from "@/lib/album-loader";
import { AlbumState, isActive, type AlbumSummary, type EntryView } from "@/lib/album-state";
import { msUntilStalled, shownSummary } from "@/lib/stalled-extraction";

export type AlbumProgress = {
  /** As shown: an `extracting` album that has not moved for too long reads as `interrupted` (stalled-extraction.ts). */
  summary: AlbumSummary;
  entries: EntryView[];
  loaded: boolean;
  loadError: string | null;
  channel: ChannelState;
  /** False once the album row is gone (deleted elsewhere). */
  exists: boolean;
  reload: () => void;
};

/** Events can come every 250 ms; repainting a 10,000-row list more often than this buys nothing. */
const PAINT_INTERVAL_MS = 200;
/**
 * While an extraction is live and no event has arrived for this long — the channel is down, or the
 * project's broadcasts are being refused (someone flooding Realtime) — the album row is read at this
 * pace, and the entries only when the row has moved. The database is the truth; events only make it quick.
 */
const QUIET_MS = 3000;

/**
 * Live state of one album: joins `album:<id>` first, then reads the database, and merges both by idx.
 * Reopening the page restores from the database and continues live; leaving unsubscribes.
 */
export function useAlbumProgress(initial: AlbumRow): AlbumProgress {
  const albumId = initial.id;
  const stateRef = useRef<AlbumState | null>(null);
  const latestRef = useRef<string | null>(null);
  /** The album row's updated_at as of the last read, and when the last live event arrived. */
  const versionRef = useRef<string | null>(null);
  const lastEventAt = useRef(0);
  const paintTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [snapshot, setSnapshot] = useState(() => {
    const s = new AlbumState(initial);
    return { summary: s.summary, entries: [] as EntryView[], lastActivity: s.lastActivity };
  });
  const [loaded, setLoaded] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [channel, setChannel] = useState<ChannelState>("joining");
  const [exists, setExists] = useState(true);

  const state = useCallback(() => (stateRef.current ??= new AlbumState(initial)), [initial]);

  const paint = useCallback(
    (now = false) => {
      const flush = () => {
        paintTimer.current = null;
        const s = state();
        setSnapshot({ summary: s.summary, entries: s.list(), lastActivity: s.lastActivity });
      };
      if (now) {
        if (paintTimer.current) clearTimeout(paintTimer.current);
        flush();
      } else paintTimer.current ??= setTimeout(flush, PAINT_INTERVAL_MS);
    },
    [state],
  );

  const read = useCallback(
    async (incremental: boolean) => {
      const s = state();
      s.beginRead();
      try {
        const result = await loadAlbum(createClient(), albumId, incremental ? latestRef.current : null);
        if (!result.album) setExists(false);
        versionRef.current = result.album?.updated_at ?? null;
        s.applyRows(result.album, result.entries, !incremental);
        latestRef.current = result.latest;
        setLoadError(null);
        setLoaded(true);
        paint(true);
      } catch (error) {
        setLoadError((error as Error).message);
      }
    },
    [albumId, paint, state],
  );

  useEffect(() => {
    const supabase = createClient();
    // Join first, then read: anything that changes between the two arrives as an event.
    const join = joinAlbumChannel(supabase, albumId, {
      onProgress: (payload) => {
        lastEventAt.current = Date.now();
        state().applyProgress(payload);
        paint(!isActive(payload.status));
      },
      onStatus: (payload) => {
        lastEventAt.current = Date.now();
        state().applyStatus(payload);
        paint(true);
        // The database is the truth (docs/architecture.md#progress-protocol): once the job has ended, its rows are final.
        if (!isActive(payload.status)) void read(true);
      },
      onState: (next) => {
        setChannel(next);
        // After a reconnect, fetch what changed while the socket was down.
        if (next === "joined" && latestRef.current) void read(true);
      },
    });
    void join.joined.catch(() => undefined).then(() => read(false));
    return () => {
      join.leave();
      if (paintTimer.current) clearTimeout(paintTimer.current);
    };
  }, [albumId, paint, read, state]);

  const active = isActive(snapshot.summary.status);
  useEffect(() => {
    if (!active || !loaded) return;
    const timer = setInterval(() => {
      if (channel === "joined" && Date.now() - lastEventAt.current < QUIET_MS) return;
      void loadAlbumVersion(createClient(), albumId)
        .then((version) => {
          if (version !== versionRef.current) return read(true);
        })
        .catch(() => undefined); // the next tick asks again
    }, QUIET_MS);
    return () => clearInterval(timer);
  }, [active, albumId, channel, loaded, read]);

  // A job killed without a word sends nothing more, so no event would ever say so: when the album would
  // count as stalled, the database is read once more (progress may have been written while broadcasts
  // failed) and the verdict is keyed by the sign of life it was reached for, so any newer one cancels it.
  const { status } = snapshot.summary;
  const { lastActivity } = snapshot;
  const [stalledAt, setStalledAt] = useState<number | null>(null);
  useEffect(() => {
    const wait = msUntilStalled(status, lastActivity, Date.now());
    if (wait === null) return;
    const timer = setTimeout(() => void read(true).then(() => setStalledAt(lastActivity)), wait);
    return () => clearTimeout(timer);
  }, [status, lastActivity, read]);
  const summary = shownSummary(snapshot.summary, stalledAt === lastActivity);

  const reload = useCallback(() => void read(false), [read]);
  return { summary, entries: snapshot.entries, loaded, loadError, channel, exists, reload };
}
