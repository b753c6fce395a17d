"use client";

import { useEffect, useRef, useState } from "react";
import { createClient } from "@/lib/supabase/client";
import { PHOTOS_BUCKET, SIGNED_URL_SECONDS } from "@/lib/albums";
import { downloadName, renditionKey, type TransformOptions } from "@/lib/renditions";
import { signPhotos, type RenditionSupport } from "@/lib/rendition-signing";
import { withDownloadName } from "@/lib/download-url";

/** Renew a URL this long before it expires, so an image never loads from a dead signature. */
const RENEW_MARGIN_MS = 5 * 60 * 1000;
const CHECK_EVERY_MS = 60 * 1000;

type Signed = { url: string; expiresAt: number };

/** Learnt once per page load from the first rendition signed (lib/rendition-signing.ts). */
const support: RenditionSupport = { available: null };

/**
 * Signed URLs for the given object keys (bucket `photos` is private), cached and renewed before they
 * expire. With `transform`, each URL is a rendition of that size; where the project has no
 * transformations the originals are signed instead, so an image is never broken. Returns path → URL
 * for the keys signed so far.
 */
export function useSignedUrls(paths: string[], transform?: TransformOptions | null): Map<string, string> {
  const cache = useRef(new Map<string, Signed>());
  const inFlight = useRef(new Set<string>());
  const [urls, setUrls] = useState(() => new Map<string, string>());
  const [tick, setTick] = useState(0);
  // A grid still measuring its tiles passes null: nothing is signed until the size is known.
  const waiting = transform === null;
  const width = transform?.width;
  const height = transform?.height;
  const resize = transform?.resize;

  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), CHECK_EVERY_MS);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    if (waiting) return;
    const wanted = width && height && resize ? { width, height, resize } : undefined;
    const keyOf = (path: string) => renditionKey(path, support.available === false ? undefined : wanted);
    const publish = () => setUrls(new Map(paths.flatMap((path) => {
      const signed = cache.current.get(keyOf(path));
      return signed ? [[path, signed.url] as const] : [];
    })));
    const now = Date.now();
    const due = paths.filter((path) => {
      const key = keyOf(path);
      if (inFlight.current.has(key)) return false;
      const signed = cache.current.get(key);
      return !signed || signed.expiresAt - now < RENEW_MARGIN_MS;
    });
    if (due.length === 0) {
      publish();
      return;
    }
    const bucket = createClient().storage.from(PHOTOS_BUCKET);
    const keys = due.map(keyOf);
    for (const key of keys) inFlight.current.add(key);
    const expiresAt = Date.now() + SIGNED_URL_SECONDS * 1000;
    void signPhotos(bucket, due, SIGNED_URL_SECONDS, wanted, support)
      .then((signed) => {
        for (const photo of signed) cache.current.set(renditionKey(photo.path, photo.rendition ? wanted : undefined), { url: photo.url, expiresAt });
        publish();
      })
      .finally(() => {
        for (const key of keys) inFlight.current.delete(key);
      });
  }, [paths, tick, waiting, width, height, resize]);

  return urls;
}

/**
 * A one-off URL that downloads the original under the photo's own file name (not its folders), the
 * name encoded once (storage-js's `download` option encodes it twice: lib/download-url.ts).
 */
export async function signDownloadUrl(path: string, entryName: string): Promise<string | null> {
  const { data } = await createClient().storage.from(PHOTOS_BUCKET).createSignedUrl(path, SIGNED_URL_SECONDS);
  return data?.signedUrl ? withDownloadName(data.signedUrl, downloadName(entryName)) : null;
}
