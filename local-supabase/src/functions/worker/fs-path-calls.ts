// Runs under Deno. Calls that take a path (docs/supabase-behaviour.md#file-system-and-tmp): `/tmp/...` maps to the
// worker's private directory and paths the runtime hands back are shown as `/tmp/...` again.
import { denied, type AnyFn, type RealCalls } from "./fs-denied.ts";
import type { TmpFs } from "./tmp-fs.ts";

type Path = string | URL;

/** The async path calls a hosted worker may make at any time. */
export function asyncPathCalls(real: RealCalls, tmp: TmpFs): Record<string, AnyFn> {
  const map = (path: Path) => tmp.toReal(path);
  const inTmp = (options: Deno.MakeTempOptions) => ({ ...options, dir: map(options.dir ?? "/tmp") });
  return {
    readFile: (path: Path, options?: unknown) => real.readFile(map(path), options),
    readTextFile: (path: Path, options?: unknown) => real.readTextFile(map(path), options),
    // Local serve allows sync reads with a warning (useReadSyncFileAPI).
    readFileSync: (path: Path) => real.readFileSync(map(path)),
    readTextFileSync: (path: Path) => real.readTextFileSync(map(path)),
    stat: (path: Path) => real.stat(map(path)),
    lstat: (path: Path) => real.lstat(map(path)),
    remove: async (path: Path, options?: unknown) => {
      tmp.markStale();
      return await real.remove(map(path), options);
    },
    mkdir: (path: Path, options?: unknown) => real.mkdir(map(path), options),
    readDir: (path: Path) => real.readDir(map(path)),
    realPath: async (path: Path) => tmp.toVirtual(await real.realPath(map(path))),
    realPathSync: (path: Path) => tmp.toVirtual(real.realPathSync(map(path))),
    makeTempDir: async (options: Deno.MakeTempOptions = {}) => tmp.toVirtual(await real.makeTempDir(inTmp(options))),
    makeTempFile: async (options: Deno.MakeTempOptions = {}) => tmp.toVirtual(await real.makeTempFile(inTmp(options))),
  };
}

/**
 * writeFileSync, writeTextFileSync, mkdirSync, makeTempDirSync, makeTempFileSync, removeSync, statSync,
 * lstatSync and readDirSync work while the module initialises and are blocked once it has.
 */
export function initOnlySyncCalls(real: RealCalls, tmp: TmpFs, initDone: () => boolean): Record<string, AnyFn> {
  const map = (path: Path) => tmp.toReal(path);
  const inTmp = (options: Deno.MakeTempOptions) => ({ ...options, dir: map(options.dir ?? "/tmp") });
  const encoder = new TextEncoder();
  const duringInit = (name: string, run: AnyFn) => (...args: unknown[]) => {
    if (initDone()) denied(name)();
    return run(...args);
  };
  const calls: Record<string, AnyFn> = {
    writeFileSync: (path: Path, data: Uint8Array, options?: unknown) => {
      if (tmp.isTmp(path)) tmp.reserve(data.byteLength);
      return real.writeFileSync(map(path), data, options);
    },
    writeTextFileSync: (path: Path, data: string, options?: unknown) => {
      if (tmp.isTmp(path)) tmp.reserve(encoder.encode(data).byteLength);
      return real.writeTextFileSync(map(path), data, options);
    },
    mkdirSync: (path: Path, options?: unknown) => real.mkdirSync(map(path), options),
    makeTempDirSync: (options: Deno.MakeTempOptions = {}) => tmp.toVirtual(real.makeTempDirSync(inTmp(options))),
    makeTempFileSync: (options: Deno.MakeTempOptions = {}) => tmp.toVirtual(real.makeTempFileSync(inTmp(options))),
    removeSync: (path: Path, options?: unknown) => {
      tmp.markStale();
      return real.removeSync(map(path), options);
    },
    statSync: (path: Path) => real.statSync(map(path)),
    lstatSync: (path: Path) => real.lstatSync(map(path)),
    readDirSync: (path: Path) => real.readDirSync(map(path)),
  };
  for (const name of Object.keys(calls)) calls[name] = duringInit(name, calls[name]);
  return calls;
}
