// The request side of album-upload: method, auth, validation, spooling, the central-directory check and
// the entry rows, then hand-off of the extraction to the background (docs/architecture.md#upload-and-spool). Every dependency
// is passed in, so tests drive the handler without a server, a database or Storage.
import { json, preflight } from "../_shared/cors.ts";
import { ZipFileReader } from "../_shared/zip-file-reader.ts";
import type { AlbumCounters, AlbumStatus } from "../_shared/progress.ts";
import type { AlbumStore, EntryRow } from "./album-store.ts";
import { ArchiveError, type CentralDirectory, readCentralDirectory } from "./central-directory.ts";
import type { FunctionConfig } from "./config.ts";
import { openZip, planEntries } from "./entry-plan.ts";
import { ExtractionJob } from "./job.ts";
import type { PhotoUploader } from "./photo-storage.ts";
import { type Broadcaster, ProgressReporter } from "./progress-reporter.ts";
import { removeQuietly, SpoolError, spoolBody } from "./spool.ts";

export interface AlbumInfo {
  id: string;
  owner_id: string;
  status: AlbumStatus;
}

export interface HandlerDeps {
  config: FunctionConfig;
  /** The caller's user id for a JWT, or null (auth.getClaims with an anon-key client). */
  authenticate(jwt: string): Promise<string | null>;
  /** The album as the caller sees it through RLS: null when missing or not theirs. */
  findAlbum(jwt: string, albumId: string): Promise<AlbumInfo | null>;
  store: AlbumStore;
  uploader: PhotoUploader;
  broadcaster: Broadcaster;
  /** EdgeRuntime.waitUntil when present; tests await the promise themselves. */
  waitUntil(task: Promise<unknown>): void;
  /** Jobs running in this worker, for beforeunload. */
  jobs: Map<string, ExtractionJob>;
  log?: (message: string) => void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROW_BATCH = 1000;
/**
 * Statuses that accept an archive. An `extracting` one only once its job is evidently dead (its worker
 * was killed before it could record `interrupted`; migration 20261127000200): until then it is refused.
 */
const RESUMABLE: AlbumStatus[] = ["uploading", "interrupted", "extracting"];

const problem = (status: number, error: string, message: string) => json(status, { error, message });

/** Albums whose archive is being received by this worker: two bodies must not share one spool file. */
const receiving = new Set<string>();

export function createHandler(deps: HandlerDeps): (req: Request) => Promise<Response> {
  return async (req) => {
    if (req.method === "OPTIONS") return preflight();
    if (req.method === "GET") return json(200, deps.config.limits);
    if (req.method !== "POST") return problem(405, "method_not_allowed", "Use POST with the zip archive as the body.");
    const jwt = req.headers.get("Authorization")?.replace(/^Bearer\s+/i, "") ?? "";
    const userId = jwt ? await deps.authenticate(jwt) : null;
    if (!userId) return problem(401, "unauthorized", "Sign in to upload an album.");
    const albumId = new URL(req.url).searchParams.get("album") ?? "";
    if (!UUID.test(albumId)) return problem(400, "bad_request", "The album parameter must be an album id (a UUID).");
    const album = await deps.findAlbum(jwt, albumId);
    if (!album) return problem(404, "not_found", "No such album, or it is not yours.");
    if (!RESUMABLE.includes(album.status)) {
      return problem(409, "wrong_status", `This album is ${album.status}; only a new album or an interrupted one accepts an archive.`);
    }
    // Asked before a byte is spooled: a live job is refused at once, not after the whole archive arrived.
    if (album.status === "extracting") {
      const refusal = await refuseLiveExtraction(albumId, deps);
      if (refusal) return refusal;
    }
    if (receiving.has(albumId) || deps.jobs.has(albumId)) {
      return problem(409, "busy", "This album is already receiving an archive.");
    }
    receiving.add(albumId);
    const stage = { claimed: false };
    try {
      return await accept(req, album, deps, stage);
    } catch (error) {
      // Unexpected (database or platform) trouble: the album must not stay `uploading` without a word.
      (deps.log ?? console.error)(`album ${albumId}: ${(error as Error).stack ?? error}`);
      const message = "Something went wrong on the server while receiving the archive. Please try again.";
      const next = statusAfterFailure(album.status, stage.claimed);
      if (next) await deps.store.setStatus(albumId, next, message).catch(() => {});
      return problem(500, "internal", message);
    } finally {
      receiving.delete(albumId);
    }
  };
}

async function accept(req: Request, album: AlbumInfo, deps: HandlerDeps, stage: { claimed: boolean }): Promise<Response> {
  const { config, store } = deps;
  const reporter = new ProgressReporter(album.id, store, deps.broadcaster, deps.log);
  const fail = async (status: number, error: string, message: string) => {
    const next = statusAfterFailure(album.status, stage.claimed);
    if (next) {
      await store.setStatus(album.id, next, message).catch(() => {});
      await reporter.status(next, message);
    }
    return problem(status, error, message);
  };
  const path = `${config.spoolDir}/${album.id}.zip`;
  let spooled;
  try {
    spooled = await spoolBody(req.body, path, config.limits.archiveBytes);
  } catch (error) {
    if (!(error instanceof SpoolError)) throw error;
    const status = { empty: 400, too_large: 413, not_zip: 415, split: 422 }[error.problem];
    return fail(status, error.problem, error.message);
  }
  const file = new ZipFileReader(path);
  let handedOver = false;
  try {
    await file.init();
    const directory = await readCentralDirectory(file, config.limits.entryCount);
    const claim = await store.claim(album.id, directory.fingerprint, spooled.bytes);
    if (claim === "different_archive") {
      return problem(409, "different_archive",
        "This is not the archive this album was made from. Drop the same zip file to continue the interrupted upload, or create a new album.");
    }
    if (claim === "not_found") return problem(404, "not_found", "No such album, or it is not yours.");
    if (claim === "wrong_status") {
      // Another request claimed it while this archive was arriving.
      return await refuseLiveExtraction(album.id, deps) ??
        problem(409, "wrong_status", "This album no longer accepts an archive; reload it to see where it stands.");
    }
    stage.claimed = true;
    // The album is `extracting` from the claim on. The job is registered before the rows are written,
    // so an interrupt (beforeunload) while a large directory is still being recorded — 100 000 entries
    // cost more than one worker's CPU budget — leaves the album `interrupted`, not `extracting` forever.
    const job = new ExtractionJob({ albumId: album.id, ownerId: album.owner_id, file, directory }, {
      store, uploader: deps.uploader, reporter, limits: config.limits, log: deps.log,
    });
    deps.jobs.set(album.id, job);
    let counts;
    try {
      // A resume may find the rows (some or all) already written by an earlier request.
      const existing = album.status === "uploading" ? null : await store.counters(album.id);
      const written = existing?.total ?? 0;
      counts = existing && written > 0 && written === directory.fileCount
        ? countsFromRows(existing, directory)
        : await writeRows(file, directory, album, deps, () => job.stopped, written);
    } catch (error) {
      // Once interrupted, reads fail on the file interrupt() closed: not the archive's fault.
      if (!job.stopped) {
        deps.jobs.delete(album.id);
        throw error;
      }
    }
    handedOver = true; // from here on the job (run, or interrupt) closes and removes the spooled file
    if (job.stopped || !counts) {
      deps.jobs.delete(album.id);
      return problem(503, "interrupted", "The server stopped while reading the archive. Drop the same zip file on the album again to continue.");
    }
    deps.waitUntil(job.run().finally(() => deps.jobs.delete(album.id)));
    const body: Record<string, unknown> = { album: album.id, ...counts };
    if (counts.entries === 0) body.message = "The archive is empty: there is nothing to import.";
    return json(202, body);
  } catch (error) {
    if (error instanceof ArchiveError) return fail(422, error.problem, error.message);
    if (error instanceof UnreadableArchive) return fail(422, "unreadable", error.message);
    throw error;
  } finally {
    if (!handedOver) {
      file.close();
      await removeQuietly(path);
    }
  }
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

/**
 * The 409 for an `extracting` album whose job may still be alive, saying how long until it may be
 * resumed; null when it is not (its job is evidently dead, or it has left `extracting`: the claim decides).
 */
async function refuseLiveExtraction(albumId: string, deps: HandlerDeps): Promise<Response | null> {
  const wait = await deps.store.staleIn(albumId);
  if (!wait) return null;
  const minutes = Math.max(1, Math.ceil(wait / 60));
  return problem(409, "wrong_status",
    `This album is still being extracted. Wait for it to finish, or, if it does not move, drop the same zip file on it again after ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`);
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
      throw new UnreadableArchive(`The archive is damaged and cannot be read (${(error as Error).message}).`);
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
