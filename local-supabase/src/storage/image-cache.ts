import { createHash, randomUUID } from "node:crypto";
import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Renditions kept on disk as `<bucket>/<object version>/<hash of the options>`. A new upload gets a new
 * version, so an entry never goes stale; `prune` drops the folders of versions that are gone. The
 * directory lives in the platform's data directory, which an in-memory platform removes on close.
 */
export class ImageCache {
  private readonly pending = new Map<string, Promise<{ path: string; size: number }>>();

  constructor(private readonly dir: string) {}

  /** The cached file for this object version and variant, made with `produce` on a miss; concurrent misses share one render. */
  async get(bucket: string, version: string, variant: string[], produce: () => Promise<Buffer>): Promise<{ path: string; size: number; hit: boolean }> {
    const folder = join(this.dir, encodeURIComponent(bucket), encodeURIComponent(version));
    const path = join(folder, createHash("sha256").update(JSON.stringify(variant)).digest("hex"));
    const size = await stat(path).then((s) => s.size, () => null);
    if (size !== null) return { path, size, hit: true };
    let making = this.pending.get(path);
    if (!making) {
      making = this.make(folder, path, produce).finally(() => this.pending.delete(path));
      this.pending.set(path, making);
    }
    return { ...(await making), hit: false };
  }

  /** Removes the renditions of object versions `isLive` no longer knows (deleted or replaced objects). */
  async prune(isLive: (bucket: string, version: string) => Promise<boolean>): Promise<number> {
    let removed = 0;
    for (const bucket of await readdir(this.dir).catch(() => [] as string[])) {
      for (const version of await readdir(join(this.dir, bucket)).catch(() => [] as string[])) {
        if (await isLive(decodeURIComponent(bucket), decodeURIComponent(version))) continue;
        await rm(join(this.dir, bucket, version), { recursive: true, force: true });
        removed++;
      }
    }
    return removed;
  }

  private async make(folder: string, path: string, produce: () => Promise<Buffer>): Promise<{ path: string; size: number }> {
    const data = await produce();
    await mkdir(folder, { recursive: true });
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
