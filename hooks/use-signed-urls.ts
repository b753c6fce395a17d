"use client";

import { useEffect, useRef, useState } from "react";
import { createClient } from "@/lib/supabase/client";
import { PHOTOS_BUCKET, SIGNED_URL_SECONDS } from "@/lib/albums";

/** One createSignedUrls call per this many keys keeps each request small and the first photos quick. */
const BATCH = 100;
/** Renew a URL this long before it expires, so an image never loads from a dead signature. */
const RENEW_MARGIN_MS = 5 * 60 * 1000;
const CHECK_EVERY_MS = 60 * 1000;

type Signed = { url: string; expiresAt: number };

/**
 * Signed URLs for the given object keys (bucket `photos` is private), fetched in batches, cached,
 * and renewed before they expire. Returns path → URL for the keys signed so far.
 */
export function useSignedUrls(paths: string[]): Map<string, string> {
  const cache = useRef(new Map<string, Signed>());
  const inFlight = useRef(new Set<string>());
  const [urls, setUrls] = useState(() => new Map<string, string>());
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), CHECK_EVERY_MS);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    const now = Date.now();
    const due = paths.filter((path) => {
      if (inFlight.current.has(path)) return false;
      const signed = cache.current.get(path);
      return !signed || signed.expiresAt - now < RENEW_MARGIN_MS;
    });
    if (due.length === 0) return;
    const bucket = createClient().storage.from(PHOTOS_BUCKET);
    for (let i = 0; i < due.length; i += BATCH) {
      const batch = due.slice(i, i + BATCH);
      for (const path of batch) inFlight.current.add(path);
      const expiresAt = Date.now() + SIGNED_URL_SECONDS * 1000;
      void bucket
        .createSignedUrls(batch, SIGNED_URL_SECONDS)
        .then(({ data }) => {
          for (const item of data ?? []) {
            if (item.path && item.signedUrl && !item.error) cache.current.set(item.path, { url: item.signedUrl, expiresAt });
          }
          setUrls(new Map(Array.from(cache.current, ([path, signed]) => [path, signed.url])));
        })
        .finally(() => {
          for (const path of batch) inFlight.current.delete(path);
        });
    }
  }, [paths, tick]);

  return urls;
}

/** A one-off URL that downloads the original under its original file name. */
export async function signDownloadUrl(path: string, fileName: string): Promise<string | null> {
  const { data } = await createClient().storage.from(PHOTOS_BUCKET).createSignedUrl(path, SIGNED_URL_SECONDS, { download: fileName });
  return data?.signedUrl ?? null;
}
