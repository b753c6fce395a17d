// Baseline (b), the other approach of the original sample: spool the body to /tmp, list the entries with
// getEntries(), read every entry into a Blob at once, then upload them. Answers when everything is uploaded.
import { BlobWriter, configure, Reader, ZipReader } from "@zip.js/zip.js";
import { prefixOf, uploadPhoto } from "../_shared/upload.ts";

configure({ useWebWorkers: false });

/** Random access over the spooled file (`fstat` is blocked in the hosted runtime, so the size is passed in). */
class SpoolReader extends Reader<string> {
  #file: Deno.FsFile | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string, size: number) {
    super(path);
    this.size = size;
  }

  override async init(): Promise<void> {
    this.#file ??= await Deno.open(this.path, { read: true });
  }

  override readUint8Array(offset: number, length: number): Promise<Uint8Array> {
    // One cursor: serialise seek + read so parallel getData calls do not interleave.
    const run = this.#queue.then(async () => {
      const out = new Uint8Array(Math.max(0, Math.min(length, this.size - offset)));
      await this.#file!.seek(offset, Deno.SeekMode.Start);
      for (let filled = 0; filled < out.length;) {
        const n = await this.#file!.read(out.subarray(filled));
        if (n === null) break;
        filled += n;
      }
      return out;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    this.#file?.close();
  }
}

Deno.serve(async (req) => {
  if (req.method !== "POST" || !req.body) return Response.json({ ready: true }); // the benchmark's warm-up call
  const prefix = prefixOf(req);
  const path = `/tmp/${crypto.randomUUID()}.zip`;
  await Deno.writeFile(path, req.body);
  const reader = new SpoolReader(path, (await Deno.stat(path)).size);
  try {
    const zip = new ZipReader(reader);
    const entries = (await zip.getEntries()).filter((entry) => !entry.directory);
    const blobs = await Promise.all(entries.map((entry) => entry.getData!(new BlobWriter("image/jpeg"))));
    for (const [i, entry] of entries.entries()) await uploadPhoto(`${prefix}/${entry.filename}`, blobs[i]);
    await zip.close();
    return Response.json({ files: entries.length, bytes: blobs.reduce((sum, blob) => sum + blob.size, 0) });
  } finally {
    reader.close();
    await Deno.remove(path).catch(() => {});
  }
});
