import type { SupabaseClient } from "@supabase/supabase-js";
import { isRenditionUrl, type TransformOptions } from "@/lib/renditions";

/** One createSignedUrls call per this many keys keeps each request small and the first photos quick. */
const BATCH = 100;
/** Renditions are signed one path per request (batch signing takes no transform); this many at once. */
const AT_ONCE = 6;

type Bucket = ReturnType<SupabaseClient["storage"]["from"]>;

export interface SignedPhoto {
  path: string;
  url: string;
  /** False where the project signed the original (no image transformations). */
  rendition: boolean;
}

/**
 * What Shoebox knows about the project: whether it renders images, learnt from the first rendition
 * signed. A project without image transformations signs the original instead
 * (docs/supabase-behaviour.md#image-transformations). Null until known.
 */
export interface RenditionSupport {
  available: boolean | null;
}

/**
 * Signs `paths` for `seconds`: as renditions of `transform` while the project renders images, else as
 * originals in batches. While support is unknown the first path is signed alone, so a project without
 * transformations costs one single request before the batches — and never a broken image.
 */
export async function signPhotos(bucket: Bucket, paths: string[], seconds: number, transform: TransformOptions | undefined, support: RenditionSupport): Promise<SignedPhoto[]> {
  const signed: SignedPhoto[] = [];
  if (!transform || support.available === false) return signOriginals(bucket, paths, seconds);
  const signOne = async (path: string) => {
    const { data } = await bucket.createSignedUrl(path, seconds, { transform });
    if (!data?.signedUrl) return;
    const rendition = isRenditionUrl(data.signedUrl);
    support.available = rendition;
    signed.push({ path, url: data.signedUrl, rendition });
  };
  let queue = paths;
  if (support.available === null && queue.length > 0) {
    await signOne(queue[0]);
    queue = queue.slice(1);
    if (support.available === false) return [...signed, ...(await signOriginals(bucket, queue, seconds))];
  }
  let next = 0;
  const worker = async () => {
    while (next < queue.length) await signOne(queue[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, queue.length) }, worker));
  return signed;
}

async function signOriginals(bucket: Bucket, paths: string[], seconds: number): Promise<SignedPhoto[]> {
  const batches: string[][] = [];
  for (let i = 0; i < paths.length; i += BATCH) batches.push(paths.slice(i, i + BATCH));
  const results = await Promise.all(batches.map(async (batch) => {
    const { data } = await bucket.createSignedUrls(batch, seconds);
    return (data ?? []).flatMap((item) => (item.path && item.signedUrl && !item.error ? [{ path: item.path, url: item.signedUrl, rendition: false }] : []));
  }));
  return results.flat();
}
