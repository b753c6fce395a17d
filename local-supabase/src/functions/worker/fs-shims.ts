// Runs under Deno. Makes the Deno namespace behave like a hosted user worker (docs/supabase-behaviour.md#file-system-and-tmp):
// `/tmp` is private and quota-bound, some APIs are always blocked, sync writes are blocked after module
// init, and process-level calls are silent no-ops. Code that works here therefore also works hosted.
import { TmpFs } from "./tmp-fs.ts";

// deno-lint-ignore no-explicit-any
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => any;
// deno-lint-ignore no-explicit-any
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const D = Deno as any;

const ALWAYS_BLOCKED = [
  "rename", "renameSync", "copyFile", "copyFileSync", "truncate", "truncateSync", "ftruncate", "ftruncateSync",
  "chmod", "chmodSync", "chown", "chownSync", "link", "linkSync", "symlink", "symlinkSync", "readLink",
  "readLinkSync", "utime", "utimeSync", "futime", "futimeSync", "fstat", "fstatSync", "fsync", "fsyncSync",
  "fdatasync", "fdatasyncSync", "flock", "flockSync", "funlock", "funlockSync", "createSync", "umask", "watchFs",
  "chdir", "dlopen", "cron", "run",
];
const SILENT_NO_OPS = ["kill", "exit", "addSignalListener", "removeSignalListener"];

// File-handle methods map to the blocked fd calls (`file.stat()` is fstat, `file.truncate()` ftruncate …).
const BLOCKED_FILE_METHODS: Record<string, string> = {
  stat: "fstat", statSync: "fstatSync", truncate: "ftruncate", truncateSync: "ftruncateSync", sync: "fsync",
  syncSync: "fsyncSync", syncData: "fdatasync", syncDataSync: "fdatasyncSync", lock: "flock", lockSync: "flockSync",
  tryLock: "flock", tryLockSync: "flockSync", unlock: "funlock", unlockSync: "funlockSync", utime: "futime",
  utimeSync: "futimeSync",
};

const denied = (name: string) => () => {
  throw new Deno.errors.PermissionDenied(`Deno.${name} is blocklisted`);
};

export function installFsShims(tmpRoot: string, quotaBytes: number, initDone: () => boolean): void {
  const real: Record<string, AnyFn> = {};
  for (const name of Object.keys(D)) if (typeof D[name] === "function") real[name] = D[name].bind(Deno);
  const tmp = new TmpFs(tmpRoot, quotaBytes, real.lstatSync, real.readDirSync);
  const map = (path: string | URL) => tmp.toReal(path);

  const wrapFile = (file: Deno.FsFile, counted: boolean): Deno.FsFile => {
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
  };

  const open = async (path: string | URL, options: Deno.OpenOptions = { read: true }) => {
    const writes = Boolean(options.write || options.append || options.create || options.createNew);
    if (options.truncate) tmp.markStale();
    return wrapFile(await real.open(map(path), options), writes && tmp.isTmp(path));
  };
  const openSync = (path: string | URL, options: Deno.OpenOptions = { read: true }) => {
    const writes = Boolean(options.write || options.append || options.create || options.createNew);
    if (options.truncate) tmp.markStale();
    return wrapFile(real.openSync(map(path), options), writes && tmp.isTmp(path));
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

  // writeFileSync, writeTextFileSync, mkdirSync, makeTempDirSync, makeTempFileSync, removeSync, statSync,
  // lstatSync and readDirSync work while the module initialises and are blocked afterwards (docs/supabase-behaviour.md#file-system-and-tmp).
  const syncWrite = (name: string, run: AnyFn) => (...args: unknown[]) => {
    if (initDone()) denied(name)();
    return run(...args);
  };

  const patch: Record<string, AnyFn> = {
    open,
    openSync,
    create: (path: string | URL) => open(path, { read: true, write: true, create: true, truncate: true }),
    writeFile,
    writeTextFile,
    readFile: (path: string | URL, options?: unknown) => real.readFile(map(path), options),
    readTextFile: (path: string | URL, options?: unknown) => real.readTextFile(map(path), options),
    // Local serve allows sync reads with a warning (useReadSyncFileAPI, docs/supabase-behaviour.md#file-system-and-tmp).
    readFileSync: (path: string | URL) => real.readFileSync(map(path)),
    readTextFileSync: (path: string | URL) => real.readTextFileSync(map(path)),
    stat: (path: string | URL) => real.stat(map(path)),
    lstat: (path: string | URL) => real.lstat(map(path)),
    remove: async (path: string | URL, options?: unknown) => {
      tmp.markStale();
      return await real.remove(map(path), options);
    },
    mkdir: (path: string | URL, options?: unknown) => real.mkdir(map(path), options),
    readDir: (path: string | URL) => real.readDir(map(path)),
    realPath: async (path: string | URL) => tmp.toVirtual(await real.realPath(map(path))),
    realPathSync: (path: string | URL) => tmp.toVirtual(real.realPathSync(map(path))),
    makeTempDir: async (options: Deno.MakeTempOptions = {}) =>
      tmp.toVirtual(await real.makeTempDir({ ...options, dir: map(options.dir ?? "/tmp") })),
    makeTempFile: async (options: Deno.MakeTempOptions = {}) =>
      tmp.toVirtual(await real.makeTempFile({ ...options, dir: map(options.dir ?? "/tmp") })),
    writeFileSync: syncWrite("writeFileSync", (path, data: Uint8Array, options) => {
      if (tmp.isTmp(path)) tmp.reserve(data.byteLength);
      return real.writeFileSync(map(path), data, options);
    }),
    writeTextFileSync: syncWrite("writeTextFileSync", (path, data: string, options) => {
      if (tmp.isTmp(path)) tmp.reserve(encoder.encode(data).byteLength);
      return real.writeTextFileSync(map(path), data, options);
    }),
    mkdirSync: syncWrite("mkdirSync", (path, options) => real.mkdirSync(map(path), options)),
    makeTempDirSync: syncWrite("makeTempDirSync", (options: Deno.MakeTempOptions = {}) =>
      tmp.toVirtual(real.makeTempDirSync({ ...options, dir: map(options.dir ?? "/tmp") }))),
    makeTempFileSync: syncWrite("makeTempFileSync", (options: Deno.MakeTempOptions = {}) =>
      tmp.toVirtual(real.makeTempFileSync({ ...options, dir: map(options.dir ?? "/tmp") }))),
    removeSync: syncWrite("removeSync", (path, options) => (tmp.markStale(), real.removeSync(map(path), options))),
    statSync: syncWrite("statSync", (path) => real.statSync(map(path))),
    lstatSync: syncWrite("lstatSync", (path) => real.lstatSync(map(path))),
    readDirSync: syncWrite("readDirSync", (path) => real.readDirSync(map(path))),
  };
  for (const name of ALWAYS_BLOCKED) patch[name] = denied(name);
  for (const name of SILENT_NO_OPS) patch[name] = () => {};
  for (const [name, value] of Object.entries(patch)) {
    Object.defineProperty(Deno, name, { value, writable: true, configurable: true, enumerable: true });
  }
  // `new Deno.Command(...)` is subprocess spawning, which user workers cannot do.
  Object.defineProperty(Deno, "Command", {
    value: class Command {
      constructor() {
        denied("Command")();
      }
    },
    writable: true,
    configurable: true,
  });
}

async function writeAll(write: (chunk: Uint8Array) => Promise<number>, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) offset += await write(chunk.subarray(offset));
}
