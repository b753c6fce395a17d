import { randomUUID } from "node:crypto";
import { createReadStream, type ReadStream } from "node:fs";
import { copyFile, mkdir, rename, rm, rmdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { DiskWriter } from "./disk-writer.ts";
import { ERRORS } from "./errors.ts";

export interface StoredFile {
  tmpPath: string;
  size: number;
  /** Quoted md5 hex, as the file backend of storage-api computes it (docs/supabase-behaviour.md#uploads). */
  eTag: string;
}

/**
 * Object bytes on disk: `<root>/<encoded bucket>/<version>`. Keys may hold ' ', ':', '?', '..' and more,
 * so a key is never used as a path: each upload gets a fresh version UUID (stored in the object row)
 * and the file is named after it. A new upload of the same key writes a new file, so readers of the
 * old version are never disturbed; the old file is removed after the row points at the new one.
 */
export class FileBackend {
  private readonly tmpDir: string;
  private readonly writer = new DiskWriter();

  constructor(readonly root: string) {
    this.tmpDir = join(root, ".tmp");
  }

  async init(): Promise<void> {
    this.writer.start();
    await mkdir(this.tmpDir, { recursive: true });
  }

  /**
   * Streams `chunks` into a temp file, hashing as it goes and stopping at `limit` bytes. Any failure
   * (too large, client abort, disk error) removes the temp file before the error propagates.
   * Hashing and writing happen on the disk writer's thread (disk-writer.ts).
   */
  async write(chunks: AsyncIterable<Buffer>, limit: number): Promise<StoredFile> {
    const tmpPath = join(this.tmpDir, randomUUID());
    const file = await this.writer.open(tmpPath);
    let size = 0;
    let md5: string;
    try {
      for await (const chunk of chunks) {
        size += chunk.length;
        if (size > limit) throw ERRORS.entityTooLarge();
        await file.add(chunk);
      }
      md5 = await file.finish();
    } catch (error) {
      await file.abandon();
      await rm(tmpPath, { force: true });
      throw error;
    }
    return { tmpPath, size, eTag: `"${md5}"` };
  }

  /** Stops the disk writer's thread. */
  async close(): Promise<void> {
    await this.writer.close();
  }

  path(bucket: string, version: string): string {
    return join(this.root, bucketDir(bucket), safeVersion(version));
  }

  async commit(tmpPath: string, bucket: string, version: string): Promise<void> {
    await mkdir(join(this.root, bucketDir(bucket)), { recursive: true });
    await rename(tmpPath, this.path(bucket, version));
  }

  async discard(tmpPath: string): Promise<void> {
    await rm(tmpPath, { force: true });
  }

  async remove(bucket: string, version: string | null): Promise<void> {
    if (version) await rm(this.path(bucket, version), { force: true });
  }

  async removeBucket(bucket: string): Promise<void> {
    await rmdir(join(this.root, bucketDir(bucket))).catch(() => {});
  }

  async copy(fromBucket: string, fromVersion: string, toBucket: string, toVersion: string): Promise<void> {
    await mkdir(join(this.root, bucketDir(toBucket)), { recursive: true });
    await copyFile(this.path(fromBucket, fromVersion), this.path(toBucket, toVersion));
  }

  async rename(fromBucket: string, fromVersion: string, toBucket: string, toVersion: string): Promise<void> {
    await mkdir(join(this.root, bucketDir(toBucket)), { recursive: true });
    await rename(this.path(fromBucket, fromVersion), this.path(toBucket, toVersion));
  }

  async size(bucket: string, version: string): Promise<number | null> {
    try {
      return (await stat(this.path(bucket, version))).size;
    } catch {
      return null;
    }
  }

  read(bucket: string, version: string, range?: { start: number; end: number }): ReadStream {
    return createReadStream(this.path(bucket, version), range ? { start: range.start, end: range.end } : {});
  }
}

/** Percent-encodes everything but letters, digits, '-' and '_' so "." / ".." / "a b" are safe names. */
function bucketDir(bucket: string): string {
  return Buffer.from(bucket, "utf8").reduce((out, byte) => {
    const c = String.fromCharCode(byte);
    return out + (/[A-Za-z0-9_-]/.test(c) ? c : `%${byte.toString(16).padStart(2, "0").toUpperCase()}`);
  }, "");
}

function safeVersion(version: string): string {
  if (!/^[A-Za-z0-9-]+$/.test(version)) throw ERRORS.internal(`unexpected object version ${version}`);
  return version;
}
