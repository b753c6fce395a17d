// A zip.js Reader with random access over a spooled file. zip.js reads any stream input (or
// `file.readable`) into a Blob first, i.e. the whole archive in memory; with `readUint8Array` it reads
// only the central directory and each entry's byte range (docs/architecture.md#extraction-tuning). The size comes from
// `Deno.stat(path)` because the hosted runtime blocks `fstat` / `file.stat()` (docs/supabase-behaviour.md#file-system-and-tmp).
import { Reader } from "@zip.js/zip.js";

export class ZipFileReader extends Reader<string> {
  #file: Deno.FsFile | null = null;
  // One file handle, one cursor: reads are serialised so two entries in flight never interleave seek/read.
  #queue: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string) {
    super(path);
  }

  override async init(): Promise<void> {
    if (this.#file) return;
    this.size = (await Deno.stat(this.path)).size;
    this.#file = await Deno.open(this.path, { read: true });
  }

  override readUint8Array(offset: number, length: number): Promise<Uint8Array> {
    const run = this.#queue.then(() => this.#read(offset, length));
    this.#queue = run.catch(() => undefined);
    return run;
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
  }
}
