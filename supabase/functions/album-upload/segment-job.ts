// The background extraction of one segment: the entries its range carries, each checked against the
// directory (local header, size, CRC-32) while streaming into Storage, with CONCURRENCY in flight. The
// lease is renewed while the job runs and never past the worker's deadline; at the end the segment is
// finished (and the album ended when it was the last), or on an interrupt released so another request
// can take it at once. The spooled range is removed on every path.
import { ArchiveBudget } from "../_shared/limits.ts";
import type { ZipFileReader } from "../_shared/zip-file-reader.ts";
import type { EntryResult } from "./album-store.ts";
import type { SegmentEntry } from "./archive-store.ts";
import type { EntryInfo, RandomAccess } from "./entry-bytes.ts";
import { EntriesInFlight } from "./entries-in-flight.ts";
import { extractAndUpload } from "./entry-upload.ts";
import { AlbumGone, StoredPhotos } from "./deleted-album.ts";
import type { ProgressReporter } from "./progress-reporter.ts";
import { removeQuietly } from "./spool.ts";
import type { InterruptibleJob, SegmentedDeps } from "./upload-deps.ts";

/** How long a lease lasts between renewals (and never past the worker's deadline). */
export const LEASE_SECONDS = 60;
const RENEW_EVERY_MS = 20_000;

export interface SegmentJobInput {
  albumId: string;
  archiveId: string;
  segment: number;
  /** The range's first byte in the archive: the spooled file's byte 0. */
  start: number;
  end: number;
  token: string;
  file: ZipFileReader;
}

/** The spooled range, addressed with archive offsets; bytes outside it read as missing. */
export class RangeReader implements RandomAccess {
  constructor(private readonly file: RandomAccess, private readonly start: number) {}

  get size(): number {
    return this.start + this.file.size;
  }

  readUint8Array(offset: number, length: number): Promise<Uint8Array> {
    if (offset < this.start) return Promise.resolve(new Uint8Array(0));
    return this.file.readUint8Array(offset - this.start, length);
  }
}

/** Seconds a lease may run from now: LEASE_SECONDS, cut at the worker's deadline. */
export function leaseSeconds(deps: Pick<SegmentedDeps, "workerDeadline" | "now">): number {
  const left = Math.floor((deps.workerDeadline - (deps.now ?? Date.now)()) / 1000);
  return Math.max(1, Math.min(LEASE_SECONDS, left));
}

export class SegmentJob implements InterruptibleJob {
  #stopped: string | null = null;
  #done: Promise<void> | null = null;
  /** Set when a write found the album deleted or being deleted; the reporter notices it first, mostly. */
  #albumGone = false;
  /** What this job stored: all of it is removed if the album is deleted under it (deleted-album.ts). */
  readonly #stored = new StoredPhotos();

  constructor(private readonly input: SegmentJobInput, private readonly deps: SegmentedDeps, private readonly reporter: ProgressReporter) {}

  run(): Promise<void> {
    this.#done ??= this.#run();
    return this.#done;
  }

  get stopped(): boolean {
    return this.#stopped !== null;
  }

  get #gone(): boolean {
    return this.#albumGone || this.reporter.gone;
  }

  /** Stops scheduling, records what is done and lets the segment go: the album waits for the same zip. */
  async interrupt(reason: string): Promise<void> {
    if (this.#stopped !== null) return;
    this.#stopped = reason;
    const { albumId, archiveId, segment, token } = this.input;
    const { log } = this.deps;
    await this.reporter.flush().catch((error) => log(`album ${albumId} segment ${segment}: progress not written: ${(error as Error).message}`));
    try {
      const counters = await this.deps.archives.releaseSegment(archiveId, segment, token, reason);
      if (counters?.status === "interrupted") await this.reporter.status("interrupted", reason);
    } catch (error) {
      if (error instanceof AlbumGone) this.#albumGone = true;
      else log(`album ${albumId} segment ${segment}: could not release its lease: ${(error as Error).message}`);
    }
    await this.#cleanup();
  }

  async #run(): Promise<void> {
    const { albumId, archiveId, segment, token, file, start } = this.input;
    const { archives, uploader, config, log } = this.deps;
    const where = `album ${albumId} segment ${segment}`;
    const renewal = setInterval(() => {
      archives.renewLease(archiveId, segment, token, leaseSeconds(this.deps)).then(
        (held) => held || log(`${where}: its lease was taken over`),
        (error) => log(`${where}: lease renewal failed: ${(error as Error).message}`),
      );
    }, RENEW_EVERY_MS);
    try {
      const entries = await archives.segmentEntries(archiveId, segment);
      await this.reporter.status("extracting", null)
        .catch((error) => log(`${where}: status broadcast failed: ${(error as Error).message}`));
      const budget = new ArchiveBudget(config.limits);
      const reader = new RangeReader(file, start);
      const inFlight = new EntriesInFlight(where, log);
      for (const entry of entries) {
        if (this.#stopped !== null || this.#gone) break;
        await inFlight.start(entry.idx, () => this.#extract(entry, reader, budget), entry.compressedSize);
      }
      await inFlight.drain();
    } catch (error) {
      if (error instanceof AlbumGone) this.#albumGone = true;
      else log(`${where}: extraction stopped: ${(error as Error).message}`);
    } finally {
      clearInterval(renewal);
    }
    if (this.#stopped !== null) {
      // interrupt() released the lease and cleaned up; nothing is in flight any more.
      if (this.#gone) await this.#stored.removeAll(uploader, albumId, log);
      return;
    }
    if (this.#gone) {
      try {
        await this.#stored.removeAll(uploader, albumId, log);
      } finally {
        await this.#cleanup();
      }
      return;
    }
    try {
      await this.reporter.flush();
      const finished = await archives.finishSegment(archiveId, segment, token);
      if (finished === null) log(`${where}: finished after its lease had passed to another request`);
      else if (finished.ended) await this.reporter.status(finished.status, finished.error);
    } catch (error) {
      if (error instanceof AlbumGone) this.#albumGone = true;
      else log(`${where}: could not finish: ${(error as Error).message}`);
    } finally {
      await this.#cleanup();
    }
    if (this.#gone) await this.#stored.removeAll(uploader, albumId, log);
  }

  async #extract(entry: SegmentEntry, reader: RangeReader, budget: ArchiveBudget): Promise<void> {
    const info: EntryInfo = {
      offset: entry.offset, compressedSize: entry.compressedSize, uncompressedSize: entry.size, compressionMethod: entry.method,
      encrypted: (entry.flags & 1) !== 0, crc32: entry.crc32, checkAgainst: { flags: entry.flags },
    };
    const x = await extractAndUpload(info, entry.path, this.deps.uploader, budget, reader);
    if (x.status === "uploaded") this.#stored.add(entry.path);
    // After an interrupt the file is closed under in-flight entries: their errors are not the entry's
    // fault, so they stay pending for the segment's next attempt.
    if (this.#stopped !== null && x.status !== "uploaded") return;
    const result: EntryResult = {
      idx: entry.idx, name: entry.name, size: x.size, status: x.status, reason: x.reason, reason_code: x.reasonCode,
      content_type: x.contentType, path: x.status === "uploaded" ? entry.path : null, ...x.metadata,
    };
    await this.reporter.report(result);
  }

  async #cleanup(): Promise<void> {
    this.input.file.close();
    await removeQuietly(this.input.file.path);
    this.deps.segmentJobs.delete(`${this.input.archiveId}:${this.input.segment}`);
  }
}
