// Runs under Deno. Opening and writing files (docs/supabase-behaviour.md#file-system-and-tmp): paths map into
// the worker's private `/tmp`, every byte written there counts against its quota, and the file-handle
// methods that stand for blocked fd calls (`file.stat()` is fstat, `file.truncate()` ftruncate …) throw.
import { denied, type AnyFn, type RealCalls } from "./fs-denied.ts";
import type { TmpFs } from "./tmp-fs.ts";

const BLOCKED_FILE_METHODS: Record<string, string> = {
  stat: "fstat", statSync: "fstatSync", truncate: "ftruncate", truncateSync: "ftruncateSync", sync: "fsync",
  syncSync: "fsyncSync", syncData: "fdatasync", syncDataSync: "fdatasyncSync", lock: "flock", lockSync: "flockSync",
  tryLock: "flock", tryLockSync: "flockSync", unlock: "funlock", unlockSync: "funlockSync", utime: "futime",
  utimeSync: "futimeSync",
};

/** `open`, `openSync`, `create`, `writeFile` and `writeTextFile`, counted against the `/tmp` quota. */
export function fileHandleCalls(real: RealCalls, tmp: TmpFs): Record<string, AnyFn> {
  const openCounted = (file: Deno.FsFile, path: string | URL, options: Deno.OpenOptions) => {
    const writes = Boolean(options.write || options.append || options.create || options.createNew);
    return countedFile(file, tmp, writes && tmp.isTmp(path));
  };
  const open = async (path: string | URL, options: Deno.OpenOptions = { read: true }) => {
    if (options.truncate) tmp.markStale();
    return openCounted(await real.open(tmp.toReal(path), options), path, options);
  };
  const openSync = (path: string | URL, options: Deno.OpenOptions = { read: true }) => {
    if (options.truncate) tmp.markStale();
    return openCounted(real.openSync(tmp.toReal(path), options), path, options);
  };

  const writeFile = async (path: string | URL, data: Uint8Array | ReadableStream<Uint8Array>, options: Deno.WriteFileOptions = {}) => {
    options.signal?.throwIfAborted();
    const file = await open(path, {
      write: true, append: options.append, truncate: !options.append, create: options.create ?? true,
      createNew: options.createNew, mode: options.mode,
    });
    try {
      if (data instanceof ReadableStream) {
        for await (const chunk of data) {
          options.signal?.throwIfAborted();
          await writeAll((bytes) => file.write(bytes), chunk);
        }
      } else await writeAll((bytes) => file.write(bytes), data);
    } finally {
      file.close();
    }
  };
  const encoder = new TextEncoder();
  const writeTextFile = (path: string | URL, data: string | ReadableStream<string>, options?: Deno.WriteFileOptions) =>
    writeFile(path, typeof data === "string" ? encoder.encode(data) : data.pipeThrough(new TextEncoderStream()), options);

  return {
    open,
    openSync,
    create: (path: string | URL) => open(path, { read: true, write: true, create: true, truncate: true }),
    writeFile,
    writeTextFile,
  };
}

/** The file as user code sees it: writes reserve quota first (when `counted`), blocked fd methods throw. */
function countedFile(file: Deno.FsFile, tmp: TmpFs, counted: boolean): Deno.FsFile {
  const write = async (chunk: Uint8Array) => {
    if (counted) tmp.reserve(chunk.byteLength);
    return await file.write(chunk);
  };
  const writeSync = (chunk: Uint8Array) => {
    if (counted) tmp.reserve(chunk.byteLength);
    return file.writeSync(chunk);
  };
  return new Proxy(file, {
    get(target, prop) {
      if (prop === "write") return write;
      if (prop === "writeSync") return writeSync;
      // Deno's own `writable` writes below the JS methods, so rebuild it on the counted `write`.
      if (prop === "writable") {
        return new WritableStream<Uint8Array>({
          write: (chunk) => writeAll(write, chunk),
          close: () => target.close(),
          abort: () => target.close(),
        });
      }
      if (typeof prop === "string" && prop in BLOCKED_FILE_METHODS) return denied(BLOCKED_FILE_METHODS[prop]);
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

async function writeAll(write: (chunk: Uint8Array) => Promise<number>, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) offset += await write(chunk.subarray(offset));
}
