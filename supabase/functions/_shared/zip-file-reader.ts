// A zip.js Reader with random access over a spooled file. zip.js reads any stream input (or
// `file.readable`) into a Blob first, i.e. the whole archive in memory; with `readUint8Array` it reads
// only the central directory and each entry's byte range (docs/architecture.md#extraction-tuning). The size comes from
// `Deno.stat(path)` because the hosted runtime blocks `fstat` / `file.stat()` (docs/supabase-behaviour.md#file-system-and-tmp).
import { Reader } from "@zip.js/zip.js";

/**
 * Reads up to SMALL_READ bytes are answered from one cached window of WINDOW_BYTES read ahead: an archive
 * of small photos costs one seek and one read per window instead of two of each per local header and two
 * per entry's data, and every file call is charged to the worker's one thread (docs/architecture.md#extraction-tuning).
 */
const SMALL_READ = 64 * 1024;
const WINDOW_BYTES = 256 * 1024;

export class ZipFileReader extends Reader<string> {
  #file: Deno.FsFile | null = null;
  // One file handle, one cursor: reads are serialised so two entries in flight never interleave seek/read.
  #queue: Promise<unknown> = Promise.resolve();
  /** A fresh buffer per window, so ranges handed out earlier stay valid. */
  #window: Uint8Array = new Uint8Array(0);
  #windowStart = 0;

  constructor(readonly path: string) {
    super(path);
  }

  override async init(): Promise<void> {
    if (this.#file) return;
    this.size = (await Deno.stat(this.path)).size;
    this.#file = await Deno.open(this.path, { read: true });
  }

  override readUint8Array(offset: number, length: number): Promise<Uint8Array> {
    const small = length <= SMALL_READ;
    const cached = small ? this.#fromWindow(offset, length) : null;
    if (cached) return Promise.resolve(cached);
    const run = this.#queue.then(async () => {
      if (!small) return await this.#read(offset, length);
      // An earlier read in the queue may have loaded the window already.
      const hit = this.#fromWindow(offset, length);
      if (hit) return hit;
      this.#window = await this.#read(offset, Math.max(length, WINDOW_BYTES));
      this.#windowStart = offset;
      return this.#window.subarray(0, Math.min(length, this.#window.length));
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** The range from the cached window, when it lies inside it (or the window reaches the end of the file). */
  #fromWindow(offset: number, length: number): Uint8Array | null {
    const from = offset - this.#windowStart;
    const windowEnd = this.#windowStart + this.#window.length;
    if (from < 0 || this.#window.length === 0 || (offset + length > windowEnd && windowEnd < this.size)) return null;
    return this.#window.subarray(from, Math.min(from + length, this.#window.length));
  }

  async #read(offset: number, length: number): Promise<Uint8Array> {
    const file = this.#file;
    if (!file) throw new Error("ZipFileReader used before init()");
    const wanted = Math.max(0, Math.min(length, this.size - offset));
    const out = new Uint8Array(wanted);
    if (wanted === 0) return out;
    await file.seek(offset, Deno.SeekMode.Start);
    let filled = 0;
    while (filled < wanted) {
      const n = await file.read(out.subarray(filled));
      if (n === null) break;
      filled += n;
    }
    return filled === wanted ? out : out.subarray(0, filled);
  }

  close(): void {
    try {
      this.#file?.close();
    } catch {
      // already closed
    }
    this.#file = null;
    this.#window = new Uint8Array(0);
  }
}
