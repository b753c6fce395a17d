// The request side of album-upload: method, auth and the album, then one of the request forms of
// upload-protocol.ts — the whole zip in one request (below), its directory (directory-request.ts), one
// planned segment (segment-request.ts), or the page leaving (pagehide). Every dependency is passed in, so
// tests drive the handler without a server, a database or Storage.
import { json, preflight } from "../_shared/cors.ts";
import { ZipFileReader } from "../_shared/zip-file-reader.ts";
import type { AlbumCounters, AlbumStatus } from "../_shared/progress.ts";
import { type SingleAccepted, UploadProblem } from "../_shared/upload-protocol.ts";
import type { AlbumStore, EntryRow } from "./album-store.ts";
import type { ArchiveStore } from "./archive-store.ts";
import { AlbumGone } from "./deleted-album.ts";
import { ArchiveError, type CentralDirectory, readCentralDirectory } from "./central-directory.ts";
import type { FunctionConfig } from "./config.ts";
import { receiveDirectory } from "./directory-request.ts";
import { openZip, planEntries } from "./entry-plan.ts";
import { ExtractionJob } from "./job.ts";
import type { PhotoUploader } from "./photo-storage.ts";
import { type Broadcaster, ProgressReporter } from "./progress-reporter.ts";
import { problem, problemFrom } from "./responses.ts";
import { receiveSegment } from "./segment-request.ts";
import { removeQuietly, type Spooled, spoolBody } from "./spool.ts";
import type { InterruptibleJob, SegmentedDeps } from "./upload-deps.ts";

export interface AlbumInfo {
  id: string;
  owner_id: string;
  status: AlbumStatus;
  /** Set once the album's deletion began (docs/architecture.md#deleting-an-album): it takes nothing more. */
  deleting_at?: string | null;
}

const ALBUM_DELETING = "This album is being deleted, so it takes no archive. Create a new album for this zip.";

export interface HandlerDeps {
  config: FunctionConfig;
  /** The caller's user id for a JWT, or null (auth.getUser with an anon-key client). */
  authenticate(jwt: string): Promise<string | null>;
  /** The album as the caller sees it through RLS: null when missing or not theirs. */
  findAlbum(jwt: string, albumId: string): Promise<AlbumInfo | null>;
  store: AlbumStore;
  uploader: PhotoUploader;
  broadcaster: Broadcaster;
  /** EdgeRuntime.waitUntil when present; tests await the promise themselves. */
  waitUntil(task: Promise<unknown>): void;
  /** Single-request jobs running in this worker, for beforeunload. */
  jobs: Map<string, ExtractionJob>;
  log?: (message: string) => void;
  /** The segmented forms (directory, segment, leave): absent in tests of the single request alone. */
  segmented?: {
    archives: ArchiveStore;
    segmentJobs: Map<string, InterruptibleJob>;
    workerId: string;
    workerDeadline: number;
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROW_BATCH = 1000;
/**
 * Statuses that accept an archive. An `extracting` one only once its job is evidently dead (its worker
 * was killed before it could record `interrupted`; migration 20261127000200): until then it is refused.
 */
const RESUMABLE: AlbumStatus[] = ["uploading", "interrupted", "extracting"];
const LEFT_REASON = "The upload stopped when its page was closed. Drop the same zip file on the album to continue.";
const CANCELLED_REASON = "The upload was cancelled. Drop the same zip file on the album to continue.";

/** Albums whose archive is being received by this worker: two bodies must not share one spool file. */
const receiving = new Set<string>();

export function createHandler(deps: HandlerDeps): (req: Request) => Promise<Response> {
  const log = deps.log ?? console.error;
  return async (req) => {
    if (req.method === "OPTIONS") return preflight();
    if (req.method === "GET") return json(200, { ...deps.config.limits, ...(deps.segmented ? deps.config.figures : {}) });
    if (req.method !== "POST") return problem("method_not_allowed");
    const jwt = req.headers.get("Authorization")?.replace(/^Bearer\s+/i, "") ?? "";
    const userId = jwt ? await deps.authenticate(jwt) : null;
    if (!userId) return problem("unauthorized");
    const params = new URL(req.url).searchParams;
    const albumId = params.get("album") ?? "";
    if (!UUID.test(albumId)) return problem("bad_request", "The album parameter must be an album id (a UUID).");
    const album = await deps.findAlbum(jwt, albumId);
    if (!album) return problem("not_found");
    if (album.deleting_at) return problem("not_found", ALBUM_DELETING);
    const part = params.get("part");
    const isSegment = params.has("archive") || params.has("segment");
    if (part !== null || isSegment) {
      if (!deps.segmented) return problem("bad_request", "This server takes the whole zip in one request only.");
      const segmentedDeps: SegmentedDeps = { ...deps, ...deps.segmented, log };
      try {
        if (part === "directory") return await receiveDirectory(req, album, segmentedDeps);
        if (part === "leave") return await leave(album, params.get("reason") === "cancelled" ? CANCELLED_REASON : LEFT_REASON, segmentedDeps);
        if (isSegment && part === null) return await receiveSegment(req, album, params, segmentedDeps);
        return problem("bad_request", "Unknown request form: use part=directory, part=leave, or archive and segment.");
      } catch (error) {
        // Deleted while this request was being answered: every write for it is refused from then on.
        if (error instanceof AlbumGone) return problem("not_found", ALBUM_DELETING);
        log(`album ${albumId}: ${(error as Error).stack ?? error}`);
        return problem("internal");
      }
    }
    return await receiveWhole(req, album, deps, log);
  };
}

/** pagehide or Cancel: an album still waiting for segments says so, instead of looking busy forever. */
async function leave(album: AlbumInfo, reason: string, deps: SegmentedDeps): Promise<Response> {
  const counters = await deps.archives.leave(album.id, reason);
  if (counters.status === "interrupted") {
    await new ProgressReporter(album.id, deps.store, deps.broadcaster, deps.log).status("interrupted", reason)
      .catch((error) => deps.log(`album ${album.id}: status broadcast failed: ${(error as Error).message}`));
  }
  return json(200, { album: album.id, status: counters.status });
}

// ---------------------------------------------------------------------------------------------------
// The single request: the whole zip as the body
// ---------------------------------------------------------------------------------------------------

async function receiveWhole(req: Request, album: AlbumInfo, deps: HandlerDeps, log: (message: string) => void): Promise<Response> {
  const albumId = album.id;
  if (!RESUMABLE.includes(album.status)) {
    return problem("wrong_status", `This album is ${album.status}; only a new album or an interrupted one accepts a whole archive. Drop the zip in the app to add it to this album.`);
  }
  // Asked before a byte is spooled: a live job is refused at once, not after the whole archive arrived.
  if (album.status === "extracting") {
    const refusal = await refuseLiveExtraction(albumId, deps);
    if (refusal) return refusal;
  }
  if (receiving.has(albumId) || deps.jobs.has(albumId)) return await runningRefusal(albumId, deps);
  receiving.add(albumId);
  const stage = { claimed: false };
  try {
    return await accept(req, album, deps, stage);
  } catch (error) {
    if (error instanceof AlbumGone) return problem("not_found", ALBUM_DELETING);
    // Unexpected (database or platform) trouble: the album must not stay `uploading` without a word.
    log(`album ${albumId}: ${(error as Error).stack ?? error}`);
    const message = "Something went wrong on the server while receiving the archive. Please try again.";
    const next = statusAfterFailure(album.status, stage.claimed);
    if (next) await writeStatus(deps, albumId, next, message);
    return problem("internal", message);
  } finally {
    receiving.delete(albumId);
  }
}

/** A status write that cannot be made is logged with the album: the album's state is then not what we meant. */
async function writeStatus(deps: HandlerDeps, albumId: string, status: AlbumStatus, message: string | null): Promise<void> {
  try {
    await deps.store.setStatus(albumId, status, message);
  } catch (error) {
    (deps.log ?? console.error)(`album ${albumId}: could not record status ${status}: ${(error as Error).message}`);
  }
}

/**
 * The single request, step by step: spool the body, read its directory, claim the album, record the rows,
 * hand the extraction over. Each step answers the refusal that ends the request, or what the next needs.
 */
async function accept(req: Request, album: AlbumInfo, deps: HandlerDeps, stage: { claimed: boolean }): Promise<Response> {
  const reporter = new ProgressReporter(album.id, deps.store, deps.broadcaster, deps.log);
  const spooled = await spoolArchive(req, album, deps, reporter);
  if (spooled instanceof Response) return spooled;
  const file = new ZipFileReader(spooled.path);
  let handedOver = false;
  try {
    await file.init();
    const directory = await readCentralDirectory(file, deps.config.limits.entryCount);
    const refusal = await claimAlbum(album, directory, spooled.bytes, deps);
    if (refusal) return refusal;
    stage.claimed = true;
    const job = registerJob(album, file, directory, deps, reporter);
    const counts = await recordRows(file, directory, album, deps, job);
    handedOver = true; // from here on the job (run, or interrupt) closes and removes the spooled file
    return handOver(job, counts, album, deps);
  } catch (error) {
    if (error instanceof ArchiveError) {
      return failArchive(new UploadProblem(error.problem === "unreadable" ? "damaged" : error.problem, error.message), album, deps, stage, reporter);
    }
    if (error instanceof UnreadableArchive) return failArchive(new UploadProblem("damaged", error.message), album, deps, stage, reporter);
    // The claim found the archive larger than the owner's storage has room for (album-store.ts).
    if (error instanceof UploadProblem && error.code === "storage_quota") return failArchive(error, album, deps, stage, reporter);
    throw error;
  } finally {
    if (!handedOver) {
      file.close();
      await removeQuietly(spooled.path);
    }
  }
}

/** A refusal of the archive itself: the album says why (or stays resumable), and the client hears it. */
async function failArchive(
  error: UploadProblem, album: AlbumInfo, deps: HandlerDeps, stage: { claimed: boolean }, reporter: ProgressReporter,
): Promise<Response> {
  const next = statusAfterFailure(album.status, stage.claimed);
  if (next) {
    await writeStatus(deps, album.id, next, error.message);
    await reporter.status(next, error.message)
      .catch((e) => (deps.log ?? console.error)(`album ${album.id}: status broadcast failed: ${(e as Error).message}`));
  }
  return problemFrom(error);
}

/** The body in /tmp, or the answer when it did not get there. */
async function spoolArchive(req: Request, album: AlbumInfo, deps: HandlerDeps, reporter: ProgressReporter): Promise<Spooled | Response> {
  try {
    return await spoolBody(req.body, `${deps.config.spoolDir}/${album.id}.zip`, deps.config.limits.archiveBytes);
  } catch (error) {
    if (!(error instanceof UploadProblem)) throw error;
    if (error.code === "tmp_full") return problemFrom(error); // other uploads fill /tmp: retry later, album untouched
    if (error.code !== "connection_lost") return failArchive(error, album, deps, { claimed: false }, reporter);
    // A dropped connection is not a bad archive: the album waits for the same zip.
    const message = "The connection was lost before the whole archive arrived. Drop the same zip file on the album to continue.";
    if (album.status === "uploading" || album.status === "interrupted") {
      await writeStatus(deps, album.id, "interrupted", message);
      await reporter.status("interrupted", message)
        .catch((e) => (deps.log ?? console.error)(`album ${album.id}: status broadcast failed: ${(e as Error).message}`));
    }
    return problemFrom(new UploadProblem("connection_lost", message));
  }
}

/** Claims the album for this archive: null when claimed, else the refusal. */
async function claimAlbum(album: AlbumInfo, directory: CentralDirectory, bytes: number, deps: HandlerDeps): Promise<Response | null> {
  const claim = await deps.store.claim(album.id, directory.fingerprint, bytes);
  if (claim === "claimed") return null;
  if (claim === "different_archive") {
    return problem("different_archive",
      "This is not the archive this album was made from. Drop the same zip file to continue the interrupted upload, or create a new album.");
  }
  if (claim === "not_found") return problem("not_found");
  // Another request claimed it while this archive was arriving.
  return await refuseLiveExtraction(album.id, deps) ?? problem("wrong_status");
}

/**
 * The album is `extracting` from the claim on. The job is registered before the rows are written, so an
 * interrupt (beforeunload) while a large directory is still being recorded — 100 000 entries cost more
 * than one worker's CPU budget — leaves the album `interrupted`, not `extracting` forever.
 */
function registerJob(album: AlbumInfo, file: ZipFileReader, directory: CentralDirectory, deps: HandlerDeps, reporter: ProgressReporter): ExtractionJob {
  const job = new ExtractionJob({ albumId: album.id, ownerId: album.owner_id, file, directory }, {
    store: deps.store, uploader: deps.uploader, reporter, limits: deps.config.limits, log: deps.log,
  });
  deps.jobs.set(album.id, job);
  return job;
}

/** Every entry's row (a resume may find some or all written already); null when the job was interrupted. */
async function recordRows(file: ZipFileReader, directory: CentralDirectory, album: AlbumInfo, deps: HandlerDeps, job: ExtractionJob): Promise<RowCounts | null> {
  try {
    const existing = album.status === "uploading" ? null : await deps.store.counters(album.id);
    const written = existing?.total ?? 0;
    return existing && written > 0 && written === directory.fileCount
      ? countsFromRows(existing, directory)
      : await writeRows(file, directory, album, deps, () => job.stopped, written);
  } catch (error) {
    // Once interrupted, reads fail on the file interrupt() closed: not the archive's fault.
    if (job.stopped) return null;
    deps.jobs.delete(album.id);
    throw error;
  }
}

/** 202 with the counts, and the extraction in the background; 503 when an interrupt came first. */
function handOver(job: ExtractionJob, counts: RowCounts | null, album: AlbumInfo, deps: HandlerDeps): Response {
  if (job.stopped || !counts) {
    deps.jobs.delete(album.id);
    return problem("interrupted");
  }
  deps.waitUntil(job.run().finally(() => deps.jobs.delete(album.id)));
  const body: Omit<SingleAccepted, "archive"> & { message?: string } = { album: album.id, ...counts };
  if (counts.entries === 0) body.message = "The archive is empty: there is nothing to import.";
  return json(202, body);
}

class UnreadableArchive extends Error {}

/**
 * Where a failed request leaves the album: a new one ends `failed`; a resumed one stays resumable with
 * the real archive (`interrupted`). An `extracting` album whose job is dead but that this request has
 * not claimed is left as it is (null): it stays resumable, and a status written there could land on a
 * job another request has just started.
 */
function statusAfterFailure(status: AlbumStatus, claimed: boolean): AlbumStatus | null {
  if (status === "uploading") return "failed";
  return status === "interrupted" || claimed ? "interrupted" : null;
}

/** The answer to a second drop while this worker is receiving or extracting the album: how far it is. */
async function runningRefusal(albumId: string, deps: HandlerDeps): Promise<Response> {
  let counters: AlbumCounters | null = null;
  try {
    counters = await deps.store.counters(albumId);
  } catch (error) {
    (deps.log ?? console.error)(`album ${albumId}: could not read its progress: ${(error as Error).message}`);
  }
  const done = counters ? counters.uploaded + counters.skipped + counters.failed : 0;
  const total = counters?.total ?? 0;
  const message = total > 0
    ? `This album is being imported right now (${done.toLocaleString("en")} of ${total.toLocaleString("en")} files done). Watch its progress; drop the zip again only if it stops.`
    : undefined;
  return problem("extraction_running", message, { progress: { done, total }, retryAfterSeconds: 30 });
}

/**
 * The refusal for an `extracting` album whose job may still be alive — what is happening and how far
 * it is —, or null when it is not (its job is evidently dead, or it has left `extracting`: the claim decides).
 */
async function refuseLiveExtraction(albumId: string, deps: HandlerDeps): Promise<Response | null> {
  const wait = await deps.store.staleIn(albumId);
  if (!wait) return null;
  return await runningRefusal(albumId, deps);
}

type RowCounts = { entries: number; photos: number; skipped: number; failed: number; folders: number };

/**
 * A resume brings the same archive (the claim checked its fingerprint), so once every file entry has its
 * row, walking the directory again to rewrite them would only spend CPU the extraction needs — on an
 * archive of tens of thousands of entries, most of one invocation's budget.
 */
function countsFromRows(existing: AlbumCounters, directory: CentralDirectory): RowCounts {
  return {
    entries: existing.total,
    photos: existing.total - existing.skipped - existing.failed,
    skipped: existing.skipped,
    failed: existing.failed,
    folders: directory.entryCount - directory.fileCount,
  };
}

/**
 * One album_entries row per file entry, inserted in batches (folders have no row; see README). Batches
 * go in one after another in entry order, so when `written` rows exist they are the first `written`
 * file entries' (a request stopped while writing): those are counted but not sent again.
 */
async function writeRows(
  file: ZipFileReader, directory: CentralDirectory, album: AlbumInfo, deps: HandlerDeps, stopped: () => boolean, written: number,
): Promise<RowCounts> {
  const counts: RowCounts = { entries: 0, photos: 0, skipped: 0, failed: 0, folders: 0 };
  let batch: EntryRow[] = [];
  const plan = planEntries(openZip(file), directory, deps.config.limits, album.owner_id, album.id);
  for (;;) {
    if (stopped()) return counts;
    let step;
    try {
      step = await plan.next();
    } catch (error) {
      throw new UnreadableArchive(`The archive is damaged and cannot be read (${(error as Error).message}). Create the zip again and upload that.`);
    }
    if (step.done) break;
    const planned = step.value;
    if (planned.kind === "folder") {
      counts.folders++;
      continue;
    }
    const { row } = planned;
    const isWritten = counts.entries < written;
    counts.entries++;
    if (row.status === "pending") counts.photos++;
    else if (row.status === "skipped") counts.skipped++;
    else counts.failed++;
    if (isWritten) continue;
    batch.push(row);
    if (batch.length >= ROW_BATCH) {
      if (stopped()) return counts;
      await deps.store.insertEntries(album.id, batch);
      batch = [];
    }
  }
  if (batch.length && !stopped()) await deps.store.insertEntries(album.id, batch);
  return counts;
}
