// The background extraction (docs/architecture.md#background-extraction): walks the plan in archive order, extracts the entries
// still to do with CONCURRENCY in flight, reports each result, and ends the album as ready / partial /
// failed. An interrupt (beforeunload) stops scheduling, persists what is done and leaves the album
// `interrupted`; the spooled archive is removed on every path.
import { ArchiveBudget, type UploadLimits } from "../_shared/limits.ts";
import type { ZipFileReader } from "../_shared/zip-file-reader.ts";
import type { AlbumStore, EntryResult } from "./album-store.ts";
import { whileBeating } from "./album-heartbeat.ts";
import { AlbumGone, StoredPhotos } from "./deleted-album.ts";
import type { CentralDirectory } from "./central-directory.ts";
import { extractAndUpload } from "./entry-upload.ts";
import { EntriesInFlight } from "./entries-in-flight.ts";
import { openZip, planEntries } from "./entry-plan.ts";
import type { PhotoUploader } from "./photo-storage.ts";
import type { ProgressReporter } from "./progress-reporter.ts";
import { removeQuietly } from "./spool.ts";

export interface JobDeps {
  store: AlbumStore;
  uploader: PhotoUploader;
  reporter: ProgressReporter;
  limits: UploadLimits;
  log?: (message: string) => void;
  /** How often the running job writes its album as a sign of life (album-heartbeat.ts; tests shorten it). */
  heartbeatMs?: number;
}

export interface JobInput {
  albumId: string;
  ownerId: string;
  file: ZipFileReader;
  directory: CentralDirectory;
}

export class ExtractionJob {
  #stopped: string | null = null;
  #done: Promise<void> | null = null;
  /** Set when a write of this job found the album deleted or being deleted (AlbumGone). */
  #albumGone = false;
  /** Keys this run stored: all of them are removed if the album turns out to be deleted. */
  readonly #stored = new StoredPhotos();
  #cleanedUp = false;

  constructor(private readonly input: JobInput, private readonly deps: JobDeps) {}

  run(): Promise<void> {
    this.#done ??= whileBeating(this.deps.store, this.input.albumId, this.#run(), this.deps.heartbeatMs);
    return this.#done;
  }

  /** Stops the job where it is and marks the album `interrupted` with `reason` (for people). */
  async interrupt(reason: string): Promise<void> {
    if (this.#stopped !== null) return;
    this.#stopped = reason;
    const { reporter, store } = this.deps;
    await reporter.flush().catch((error) =>
      (this.deps.log ?? console.error)(`album ${this.input.albumId}: results not written before the interrupt: ${(error as Error).message}`));
    try {
      await store.setStatus(this.input.albumId, "interrupted", reason);
      await reporter.status("interrupted", reason);
    } catch (error) {
      // A deleted album has nothing to resume; run() removes what this job stored.
      if (!(error instanceof AlbumGone)) throw error;
      this.#albumGone = true;
    } finally {
      await this.#cleanup();
    }
  }

  /** The album was deleted (or is being deleted) under this job. */
  get #gone(): boolean {
    return this.#albumGone || this.deps.reporter.gone;
  }

  get stopped(): boolean {
    return this.#stopped !== null;
  }

  async #run(): Promise<void> {
    const { albumId, ownerId, file, directory } = this.input;
    const { store, uploader, reporter, limits } = this.deps;
    const log = this.deps.log ?? console.error;
    try {
      const todo = new Set(await store.unfinishedIndexes(albumId));
      await reporter.status("extracting", null);
      const budget = new ArchiveBudget(limits);
      const inFlight = new EntriesInFlight(`album ${albumId}`, log);
      const zip = openZip(file);
      for await (const planned of planEntries(zip, directory, limits, ownerId, albumId)) {
        if (this.#stopped !== null || this.#gone) break;
        if (planned.kind !== "row" || !planned.entry || !planned.key || !todo.has(planned.idx)) continue;
        const { entry, key, row } = planned;
        await inFlight.start(row.idx, () => extractAndUpload(entry, key, uploader, budget, file).then((x) => {
          // After an interrupt the file is closed under in-flight entries: their errors are not the
          // entry's fault, so they stay pending for the resume.
          if (this.#stopped !== null && x.status !== "uploaded") return;
          if (x.status === "uploaded") this.#stored.add(key);
          const result: EntryResult = {
            ...row, status: x.status, size: x.size, reason: x.reason, reason_code: x.reasonCode,
            content_type: x.contentType, path: x.status === "uploaded" ? key : null, ...x.metadata,
          };
          return reporter.report(result);
        }), entry.compressedSize);
      }
      await inFlight.drain();
    } catch (error) {
      // A directory zip.js cannot walk to the end: what is left pending is failed by finish().
      if (error instanceof AlbumGone) this.#albumGone = true;
      else log(`album ${albumId}: extraction stopped: ${(error as Error).message}`);
    }
    if (this.#gone) return this.#abandon(log);
    if (this.#stopped !== null) {
      // interrupt() already marked the album and cleaned up; photos that finished since still count,
      // and when they were the last ones the album is complete: asking for a resume would be a lie.
      try {
        await reporter.flush();
        if ((await store.unfinishedIndexes(albumId)).length === 0) {
          const result = await store.finish(albumId);
          await reporter.status(result.status, result.error);
        }
      } catch (error) {
        if (error instanceof AlbumGone) this.#albumGone = true;
        else log(`album ${albumId}: ${(error as Error).message}`);
      }
      if (this.#gone) await this.#abandon(log);
      return;
    }
    try {
      await reporter.flush();
      const result = await store.finish(albumId);
      await reporter.status(result.status, result.error);
    } catch (error) {
      if (error instanceof AlbumGone) this.#albumGone = true;
      else log(`album ${albumId}: could not finish: ${(error as Error).message}`);
    } finally {
      await this.#cleanup();
    }
    if (this.#gone) await this.#abandon(log);
  }

  /** The album was deleted during extraction: remove what this job stored (deleted-album.ts). */
  async #abandon(log: (message: string) => void): Promise<void> {
    try {
      await this.#stored.removeAll(this.deps.uploader, this.input.albumId, log);
    } finally {
      await this.#cleanup();
    }
  }

  async #cleanup(): Promise<void> {
    if (this.#cleanedUp) return;
    this.#cleanedUp = true;
    this.input.file.close();
    await removeQuietly(this.input.file.path);
  }
}
