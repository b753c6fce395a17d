import { createHash, randomUUID } from "node:crypto";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Renditions kept on disk, one file per (object version, options, output format). A new upload gets a
 * new version, so a key never goes stale; the directory lives in the platform's data directory, which
 * an in-memory platform removes on close.
 */
export class ImageCache {
  private readonly pending = new Map<string, Promise<{ path: string; size: number }>>();

  constructor(private readonly dir: string) {}

  static key(parts: string[]): string {
    return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
  }

  /** The cached file for `key`, made with `produce` on a miss; concurrent misses share one render. */
  async get(key: string, produce: () => Promise<Buffer>): Promise<{ path: string; size: number; hit: boolean }> {
    const path = join(this.dir, key);
    const size = await stat(path).then((s) => s.size, () => null);
    if (size !== null) return { path, size, hit: true };
    let making = this.pending.get(key);
    if (!making) {
      making = this.make(path, produce).finally(() => this.pending.delete(key));
      this.pending.set(key, making);
    }
    return { ...(await making), hit: false };
  }

  private async make(path: string, produce: () => Promise<Buffer>): Promise<{ path: string; size: number }> {
    const data = await produce();
    await mkdir(this.dir, { recursive: true });
    // Written aside and renamed, so a reader never sees half a rendition.
    const partial = `${path}.${randomUUID()}.partial`;
    try {
      await writeFile(partial, data);
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return { path, size: data.length };
  }
}
