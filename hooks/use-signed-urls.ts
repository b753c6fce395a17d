"use client";

import { useEffect, useRef, useState } from "react";
import { createClient } from "@/lib/supabase/client";
import { PHOTOS_BUCKET, SIGNED_URL_SECONDS } from "@/lib/albums";
import { downloadName, isRenditionUrl, renditionKey, type TransformOptions } from "@/lib/renditions";

/** One createSignedUrls call per this many keys keeps each request small and the first photos quick. */
const BATCH = 100;
/** Renditions are signed one path per request (batch signing takes no transform); this many at once. */
const RENDITION_SIGNING_AT_ONCE = 6;
/** Renew a URL this long before it expires, so an image never loads from a dead signature. */
const RENEW_MARGIN_MS = 5 * 60 * 1000;
const CHECK_EVERY_MS = 60 * 1000;

type Signed = { url: string; expiresAt: number };
type Bucket = ReturnType<ReturnType<typeof createClient>["storage"]["from"]>;

/**
 * Whether this project renders images, learnt from the first rendition signed: a project without
 * image transformations signs the original instead (docs/supabase-behaviour.md#image-transformations).
 * Null until known; once false, every view asks for originals in batches.
 */
let renditionsAvailable: boolean | null = null;

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
    const keyOf = (path: string) => renditionKey(path, renditionsAvailable === false ? undefined : wanted);
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
    const store = (path: string, url: string, expiresAt: number, rendition: boolean) =>
      cache.current.set(renditionKey(path, rendition ? wanted : undefined), { url, expiresAt });
    void (wanted && renditionsAvailable !== false ? signRenditions(bucket, due, wanted, store) : signOriginals(bucket, due, store))
      .then(publish)
      .finally(() => {
        for (const key of keys) inFlight.current.delete(key);
      });
  }, [paths, tick, waiting, width, height, resize]);

  return urls;
}

type Store = (path: string, url: string, expiresAt: number, rendition: boolean) => void;

async function signOriginals(bucket: Bucket, paths: string[], store: Store): Promise<void> {
  await Promise.all(chunks(paths, BATCH).map(async (batch) => {
    const expiresAt = Date.now() + SIGNED_URL_SECONDS * 1000;
    const { data } = await bucket.createSignedUrls(batch, SIGNED_URL_SECONDS);
    for (const item of data ?? []) if (item.path && item.signedUrl && !item.error) store(item.path, item.signedUrl, expiresAt, false);
  }));
}

/**
 * Signs renditions a few at a time. While it is unknown whether the project renders images, the first
 * path is signed alone: if it comes back as the original, the rest go as one batch of originals.
 */
async function signRenditions(bucket: Bucket, paths: string[], transform: TransformOptions, store: Store): Promise<void> {
  let queue = paths;
  const signOne = async (path: string) => {
    const expiresAt = Date.now() + SIGNED_URL_SECONDS * 1000;
    const { data } = await bucket.createSignedUrl(path, SIGNED_URL_SECONDS, { transform });
    if (!data?.signedUrl) return;
    const rendition = isRenditionUrl(data.signedUrl);
    renditionsAvailable = rendition;
    store(path, data.signedUrl, expiresAt, rendition);
  };
  if (renditionsAvailable === null) {
    await signOne(queue[0]);
    queue = queue.slice(1);
    if (renditionsAvailable === false) return signOriginals(bucket, queue, store);
  }
  let next = 0;
  const worker = async () => {
    while (next < queue.length) await signOne(queue[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(RENDITION_SIGNING_AT_ONCE, queue.length) }, worker));
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A one-off URL that downloads the original under the photo's own file name (not its folders). */
export async function signDownloadUrl(path: string, entryName: string): Promise<string | null> {
  const { data } = await createClient().storage.from(PHOTOS_BUCKET).createSignedUrl(path, SIGNED_URL_SECONDS, { download: downloadName(entryName) });
  return data?.signedUrl ?? null;
}
