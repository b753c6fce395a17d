// Runs under Deno. The worker's private `/tmp` (docs/supabase-behaviour.md#file-system-and-tmp): paths under `/tmp` map to a directory the
// host created for this worker only, and writes count against a byte quota like the hosted TmpFs.

type PathLike = string | URL;

export class QuotaExceeded extends Error {
  constructor() {
    // The hosted runtime fails the write with this text (edge-runtime crates/fs/impl/tmp_fs.rs).
    super("filesystem quota exceeded");
    this.name = "Error";
  }
}

export class TmpFs {
  private used = 0;
  private stale = true;

  constructor(
    readonly root: string,
    readonly quotaBytes: number,
    private readonly realStatSync: typeof Deno.lstatSync,
    private readonly realReadDirSync: typeof Deno.readDirSync,
  ) {}

  /** `/tmp/a/../b` → `<root>/b`; any other path is returned unchanged (permissions decide about it). */
  toReal(path: PathLike): PathLike {
    const text = path instanceof URL ? (path.protocol === "file:" ? decodeURIComponent(path.pathname) : "") : String(path);
    if (text !== "/tmp" && !text.startsWith("/tmp/")) return path;
    const normalized = normalize(text);
    if (normalized !== "/tmp" && !normalized.startsWith("/tmp/")) return normalized;
    return this.root + normalized.slice("/tmp".length);
  }

  isTmp(path: PathLike): boolean {
    const real = String(this.toReal(path));
    return real === this.root || real.startsWith(this.root + "/");
  }

  /** Real paths the runtime hands back (realPath, makeTempDir) are shown as `/tmp/...` again. */
  toVirtual(path: string): string {
    if (path === this.root || path.startsWith(this.root + "/")) return "/tmp" + path.slice(this.root.length);
    return path;
  }

  /** Removing or truncating files shrinks usage; re-measure lazily on the next write, as the hosted quota does. */
  markStale(): void {
    this.stale = true;
  }

  reserve(bytes: number): void {
    if (this.stale) this.measure();
    if (this.used + bytes > this.quotaBytes) {
      this.measure();
      if (this.used + bytes > this.quotaBytes) throw new QuotaExceeded();
    }
    this.used += bytes;
  }

  private measure(): void {
    this.used = this.sizeOf(this.root);
    this.stale = false;
  }

  private sizeOf(dir: string): number {
    let size = 0;
    for (const entry of this.realReadDirSync(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) size += this.sizeOf(path);
      else if (entry.isFile) size += this.realStatSync(path).size;
    }
    return size;
  }
}

function normalize(path: string): string {
  const out: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") out.pop();
    else out.push(segment);
  }
  return "/" + out.join("/");
}
