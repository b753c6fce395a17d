"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { createClient } from "@/lib/supabase/client";
import { env } from "@/lib/env";
import { joinAlbumChannel } from "@/lib/album-channel";
import { RateMeter } from "@/lib/rate-meter";
import { preflightZip } from "@/lib/zip-preflight";
import { DEFAULT_LIMITS, fetchUploadLimits, type UploadLimits } from "@/lib/upload-limits";
import { UploadCancelled, uploadArchive } from "@/lib/upload-request";
import { albumNameFromFile, type UploadItem } from "@/lib/upload-item";

type Options = {
  /** Upload into this existing album (resuming an interrupted one) instead of creating new ones. */
  albumId?: string;
  /** Called with the album ids the function accepted, once the queue is through. */
  onFinished?: (acceptedAlbumIds: string[]) => void;
};

/** Progress events arrive every few ms; re-rendering four times a second is plenty. */
const PROGRESS_INTERVAL_MS = 250;
let nextKey = 0;

export function useZipUpload({ albumId: existingAlbumId, onFinished }: Options = {}) {
  const [items, setItems] = useState<UploadItem[]>([]);
  const [running, setRunning] = useState(false);
  const abortRef = useRef<AbortController | null>(null);
  const limitsRef = useRef<Promise<UploadLimits> | null>(null);

  const update = useCallback((key: string, patch: Partial<UploadItem>) => {
    setItems((current) => current.map((item) => (item.key === key ? { ...item, ...patch } : item)));
  }, []);

  const limits = useCallback((): Promise<UploadLimits> => {
    limitsRef.current ??= (async () => {
      const supabase = createClient();
      const { data } = await supabase.auth.getSession();
      const { supabaseUrl, supabaseAnonKey } = env();
      const token = data.session?.access_token ?? supabaseAnonKey;
      // If the function cannot be asked, the hosted Free limits are the safe guess.
      return fetchUploadLimits(supabaseUrl, supabaseAnonKey, token).catch(() => DEFAULT_LIMITS);
    })();
    return limitsRef.current;
  }, []);

  /** Adds archives and pre-flights each one; nothing is sent yet. */
  const add = useCallback(
    (files: File[]) => {
      const added = files.map((file): UploadItem => ({ key: `u${nextKey++}`, file, phase: "checking", sent: 0, speed: 0 }));
      setItems((current) => [...current.filter((i) => !["accepted", "cancelled"].includes(i.phase)), ...added]);
      for (const item of added) {
        void limits()
          .then((l) => preflightZip(item.file, l))
          .then((report) => update(item.key, { report, phase: report.blocked ? "blocked" : "ready" }))
          .catch((error: Error) => update(item.key, { phase: "failed", error: error.message }));
      }
    },
    [limits, update],
  );

  const remove = useCallback((key: string) => setItems((current) => current.filter((i) => i.key !== key)), []);

  const uploadOne = useCallback(
    async (item: UploadItem, signal: AbortSignal): Promise<string | null> => {
      const supabase = createClient();
      const { supabaseUrl, supabaseAnonKey } = env();
      update(item.key, { phase: "starting", error: undefined, sent: 0, speed: 0 });
      const { data } = await supabase.auth.getSession();
      if (!data.session) {
        update(item.key, { phase: "failed", error: "You are signed out. Sign in again, then retry." });
        return null;
      }
      let albumId = existingAlbumId;
      if (!albumId) {
        const { data: row, error } = await supabase
          .from("albums")
          .insert({ name: albumNameFromFile(item.file.name), source_name: item.file.name, source_bytes: item.file.size })
          .select("id")
          .single();
        if (error || !row) {
          update(item.key, { phase: "failed", error: `Could not create the album: ${error?.message ?? "no row returned"}` });
          return null;
        }
        albumId = row.id;
      }
      update(item.key, { albumId });

      // Subscribe before the first byte so no progress event can be missed (docs/architecture.md#subscribe-before-upload).
      // If live progress is unavailable the upload still goes ahead: the album view reads the database.
      const channel = joinAlbumChannel(supabase, albumId, {});
      await channel.joined.catch(() => undefined);

      const meter = new RateMeter();
      let lastPaint = 0;
      try {
        update(item.key, { phase: "uploading" });
        await uploadArchive({
          supabaseUrl,
          apiKey: supabaseAnonKey,
          accessToken: data.session.access_token,
          albumId,
          file: item.file,
          signal,
          onProgress: ({ sent, total }) => {
            const now = performance.now();
            const speed = meter.add(sent, now);
            if (sent >= total) update(item.key, { sent, speed, phase: "processing" });
            else if (now - lastPaint >= PROGRESS_INTERVAL_MS) {
              lastPaint = now;
              update(item.key, { sent, speed });
            }
          },
        });
        update(item.key, { phase: "accepted", sent: item.file.size });
        return albumId;
      } catch (error) {
        const cancelled = error instanceof UploadCancelled;
        update(item.key, { phase: cancelled ? "cancelled" : "failed", error: cancelled ? undefined : (error as Error).message });
        // A new album the function never accepted holds nothing: remove it rather than leave an empty shell.
        if (!existingAlbumId) await supabase.from("albums").delete().eq("id", albumId);
        return null;
      } finally {
        channel.leave();
      }
    },
    [existingAlbumId, update],
  );

  /** Uploads every ready archive, one after another (they share one connection's bandwidth). */
  const start = useCallback(async () => {
    const retryable = (i: UploadItem) => i.phase === "failed" && i.report !== undefined && !i.report.blocked;
    const queue = items.filter((i) => i.phase === "ready" || retryable(i));
    if (queue.length === 0 || abortRef.current) return;
    const controller = new AbortController();
    abortRef.current = controller;
    setRunning(true);
    for (const item of queue) update(item.key, { phase: "waiting", error: undefined });
    const accepted: string[] = [];
    for (const item of queue) {
      if (controller.signal.aborted) {
        update(item.key, { phase: "cancelled" });
        continue;
      }
      const id = await uploadOne(item, controller.signal);
      if (id) accepted.push(id);
    }
    abortRef.current = null;
    setRunning(false);
    onFinished?.(accepted);
  }, [items, onFinished, update, uploadOne]);

  const cancel = useCallback(() => abortRef.current?.abort(), []);

  // Leaving the page mid-upload aborts the request rather than letting it run unseen; closing the
  // tab asks first.
  useEffect(() => () => abortRef.current?.abort(), []);
  useEffect(() => {
    if (!running) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [running]);

  return { items, running, add, remove, start, cancel };
}
