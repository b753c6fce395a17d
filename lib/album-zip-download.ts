/**
 * Builds a zip of an album's originals in the browser (docs/architecture.md#downloading-photos-as-a-zip):
 * signed URLs → fetch → zip.js `ZipWriter` (stored, `level: 0`: photos do not compress) → any
 * WritableStream — a file on disk through `showSaveFilePicker` (lib/zip-save-target.ts), or memory.
 *
 * Each photo is fetched whole and checked against its recorded size before any byte of it enters the
 * zip, so a failed or short fetch is retried from scratch and never leaves a truncated entry; a photo
 * that keeps failing aborts the whole zip with an error naming it (never a silently short zip). At most
 * AHEAD photos are held at once (each at most the bucket's 50 MB file limit), whatever the album's size,
 * so memory stays flat; zip.js switches to zip64 by itself past 4 GB. URLs are signed in batches as the
 * zip reaches them, and signed again when Storage refuses one (an album can take longer than a URL lives).
 * Entry names are the photos' paths in their archive, folders kept, made unique (archiveNames below).
 */
import { Uint8ArrayReader, ZipWriter } from "@zip.js/zip.js";

export type ZipPhoto = {
  /** The photo's path in the archive it came from (album_entries.name): its name in the zip. */
  name: string;
  /** Its object key in the photos bucket. */
  path: string;
  /** Its size in bytes as recorded on the row: a fetch must bring exactly this many. */
  size: number;
  /** Shown as the entry's modification time (the date taken, when known). */
  lastModified?: Date | null;
};

export type ZipProgress = { photosDone: number; photosTotal: number; bytesDone: number; bytesTotal: number };

export type ZipDownloadOptions = {
  /** Signed URLs of originals, path → URL (signerFor below, over supabase-js). */
  sign: (paths: string[]) => Promise<Map<string, string>>;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  onProgress?: (progress: ZipProgress) => void;
  /** Tries per photo before the zip is given up (default 4). */
  attempts?: number;
  /** Wait before the second try, doubled for each further one (default 500 ms). */
  retryDelayMs?: number;
};

/** Photos fetched ahead of the one being written: enough to keep the network busy, few enough for memory. */
export const AHEAD = 3;
/** URLs signed per request, as the zip reaches them. */
export const SIGN_BATCH = 100;

export class ZipDownloadError extends Error {}

/** Writes the zip of `photos` (in this order) to `output` and closes it; on failure or cancel aborts it. */
export async function writeAlbumZip(photos: readonly ZipPhoto[], output: WritableStream<Uint8Array>, options: ZipDownloadOptions): Promise<ZipProgress> {
  const names = archiveNames(photos.map((photo) => photo.name));
  const progress: ZipProgress = { photosDone: 0, photosTotal: photos.length, bytesDone: 0, bytesTotal: photos.reduce((sum, p) => sum + p.size, 0) };
  const stop = new AbortController();
  const outer = options.signal;
  const onOuterAbort = () => stop.abort(outer?.reason);
  if (outer?.aborted) stop.abort(outer.reason);
  outer?.addEventListener("abort", onOuterAbort);
  // zip.js writes into a stream of ours, so that a failure can abort the real output (a file handle's
  // abort discards what was written) while zip.js still holds the lock on its own.
  const sink = output.getWriter();
  const forward = new WritableStream<Uint8Array>({
    write: (chunk) => sink.write(chunk),
    close: () => sink.close(),
    abort: (reason) => sink.abort(reason),
  });
  const zip = new ZipWriter(forward, { level: 0, useWebWorkers: false, keepOrder: true, bufferedWrite: false });
  const urls = new SignedUrls(photos.map((p) => p.path), options.sign);
  const pending = new Map<number, Promise<Uint8Array>>();
  const fetchAhead = (i: number) => {
    if (i >= photos.length || pending.has(i)) return;
    const bytes = fetchPhoto(photos[i], i, urls, options, stop.signal);
    bytes.catch(() => {}); // awaited in turn below; a photo never reached must not surface as unhandled
    pending.set(i, bytes);
  };
  options.onProgress?.({ ...progress });
  try {
    for (let i = 0; i < photos.length; i++) {
      for (let j = i; j < i + AHEAD; j++) fetchAhead(j);
      const bytes = await pending.get(i)!;
      pending.delete(i);
      throwIfAborted(stop.signal);
      await zip.add(names[i], new Uint8ArrayReader(bytes), {
        level: 0,
        lastModDate: photos[i].lastModified ?? undefined,
        signal: stop.signal,
      });
      progress.photosDone++;
      progress.bytesDone += bytes.length;
      options.onProgress?.({ ...progress });
    }
    await zip.close();
    return progress;
  } catch (error) {
    stop.abort(error);
    await sink.abort(error).catch(() => {});
    if (outer?.aborted) throw new ZipDownloadError("The download was cancelled; nothing was saved.");
    if (error instanceof ZipDownloadError) throw error;
    throw new ZipDownloadError(`The zip could not be written (${(error as Error).message}); nothing was saved. Try again.`);
  } finally {
    outer?.removeEventListener("abort", onOuterAbort);
  }
}

/**
 * Names inside the zip: each photo's path in its archive, folders kept, with what no unzip tool
 * accepts removed (a leading `/`, `.` and `..` segments, backslashes as separators). Two photos with
 * one path (from two archives of one album, or differing only in case, which some file systems merge)
 * become `IMG_0001.JPG` and `IMG_0001 (2).JPG`.
 */
export function archiveNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((raw) => {
    const segments = raw.replace(/\\/g, "/").split("/").filter((s) => s !== "" && s !== "." && s !== "..");
    const base = segments.length > 0 ? segments.join("/") : "photo";
    let name = base;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = withSuffix(base, n);
    used.add(name.toLowerCase());
    return name;
  });
}

function withSuffix(path: string, n: number): string {
  const slash = path.lastIndexOf("/");
  const dir = path.slice(0, slash + 1);
  const file = path.slice(slash + 1);
  const dot = file.lastIndexOf(".");
  return dot > 0 ? `${dir}${file.slice(0, dot)} (${n})${file.slice(dot)}` : `${dir}${file} (${n})`;
}

/** Signed URLs for the zip's photos: a batch at a time as the zip reaches it, again when one is refused. */
class SignedUrls {
  readonly #urls = new Map<string, Promise<string>>();

  constructor(
    private readonly paths: readonly string[],
    private readonly sign: (paths: string[]) => Promise<Map<string, string>>,
  ) {}

  get(index: number, fresh: boolean): Promise<string> {
    const path = this.paths[index];
    if (fresh) this.#urls.delete(path);
    if (!this.#urls.has(path)) {
      const batch = fresh ? [path] : this.paths.slice(index, index + SIGN_BATCH).filter((p) => !this.#urls.has(p));
      const signed = this.sign(batch);
      for (const p of batch) {
        const url = signed.then((map) => {
          const found = map.get(p);
          if (!found) throw new Error("it could not be signed; it may have been deleted meanwhile");
          return found;
        });
        url.catch(() => this.#urls.delete(p)); // the next try signs again
        this.#urls.set(p, url);
      }
    }
    return this.#urls.get(path)!;
  }
}

class RetryableStatus extends Error {
  constructor(readonly status: number) {
    super(`Storage answered HTTP ${status}`);
  }
}

async function fetchPhoto(photo: ZipPhoto, index: number, urls: SignedUrls, options: ZipDownloadOptions, signal: AbortSignal): Promise<Uint8Array> {
  const attempts = options.attempts ?? 4;
  const doFetch = options.fetch ?? fetch;
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    throwIfAborted(signal);
    try {
      // A refused URL (expired, or Storage's 400 for a missing object) is signed again for the next try.
      const refused = last instanceof RetryableStatus && last.status < 500;
      const url = await urls.get(index, refused);
      const response = await doFetch(url, { signal });
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        throw new RetryableStatus(response.status);
      }
      const bytes = await readBody(response, photo.size);
      if (bytes.length !== photo.size) throw new Error(`it arrived with ${bytes.length} of its ${photo.size} bytes`);
      return bytes;
    } catch (error) {
      if (signal.aborted) throw signal.reason ?? error;
      last = error;
      if (attempt < attempts) await delay((options.retryDelayMs ?? 500) * 2 ** (attempt - 1), signal);
    }
  }
  throw new ZipDownloadError(
    `${photo.name} could not be downloaded after ${attempts} tries (${(last as Error).message}). The zip was not saved; try again.`,
  );
}

/** The whole body, into one buffer of the expected size (growing only if the server sends more). */
async function readBody(response: Response, expected: number): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  let buffer = new Uint8Array(expected);
  let length = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (length + value.length > buffer.length) {
      const grown = new Uint8Array(Math.max(buffer.length * 2, length + value.length));
      grown.set(buffer.subarray(0, length));
      buffer = grown;
    }
    buffer.set(value, length);
    length += value.length;
  }
  return length === buffer.length ? buffer : buffer.subarray(0, length);
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason ?? new Error("aborted");
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal.reason);
    }
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Signing over a supabase-js bucket (`client.storage.from("photos")`): originals, in one request per batch. */
export function signerFor(
  bucket: { createSignedUrls: (paths: string[], seconds: number) => Promise<{ data: { path: string | null; signedUrl: string | null }[] | null; error: { message: string } | null }> },
  seconds: number,
): (paths: string[]) => Promise<Map<string, string>> {
  return async (paths) => {
    const { data, error } = await bucket.createSignedUrls(paths, seconds);
    if (error) throw new Error(`signing failed: ${error.message}`);
    return new Map((data ?? []).flatMap((row) => (row.path && row.signedUrl ? [[row.path, row.signedUrl] as const] : [])));
  };
}
