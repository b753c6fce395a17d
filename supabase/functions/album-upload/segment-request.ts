// The segment request: exactly one planned byte range of an archive in, spooled to /tmp, 202, and its
// entries extracted in the background (segment-job.ts). The lease is claimed before a byte is spooled,
// so a segment already done or held by a live worker is answered at once; a range that does not match
// the plan, a body of the wrong length or /tmp full of other uploads lets the lease go again.
import { json } from "../_shared/cors.ts";
import { ZipFileReader } from "../_shared/zip-file-reader.ts";
import { type SegmentAccepted, UploadProblem } from "../_shared/upload-protocol.ts";
import { ProgressReporter } from "./progress-reporter.ts";
import { discardBody, problem, problemFrom } from "./responses.ts";
import { leaseSeconds, SegmentJob } from "./segment-job.ts";
import { removeQuietly, spoolBody } from "./spool.ts";
import { whileBeating } from "./album-heartbeat.ts";
import type { SegmentedDeps } from "./upload-deps.ts";
import type { AlbumRef } from "./directory-request.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Segments one worker extracts at once. The 202 comes as soon as a segment is spooled, so a client's
 * few requests in flight do not bound the extractions behind them: without this, one worker would take
 * every segment the client sends, share its CPU budget among all of them and be stopped with none done.
 * A request beyond it waits for a slot (the client sees it still in flight), then is told to retry.
 */
export const SEGMENT_JOBS_PER_WORKER = 2;
const SLOT_WAIT_MS = 20_000;
const SLOT_POLL_MS = 100;
/** Slots taken by requests still between the gate and their job's registration. */
let reserved = 0;

async function takeSlot(deps: SegmentedDeps): Promise<boolean> {
  const deadline = (deps.now ?? Date.now)() + SLOT_WAIT_MS;
  while (deps.segmentJobs.size + reserved >= SEGMENT_JOBS_PER_WORKER) {
    if ((deps.now ?? Date.now)() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, SLOT_POLL_MS));
  }
  reserved++;
  return true;
}

export async function receiveSegment(req: Request, album: AlbumRef, params: URLSearchParams, deps: SegmentedDeps): Promise<Response> {
  const archiveId = params.get("archive") ?? "";
  const rawSegment = params.get("segment") ?? "";
  const segment = Number(rawSegment);
  if (!UUID.test(archiveId) || !/^\d+$/.test(rawSegment) || !Number.isSafeInteger(segment)) {
    await discardBody(req);
    return problem("bad_request", "A segment request needs `archive` (the id the directory request answered) and `segment` (a planned index).");
  }
  if (!await takeSlot(deps)) {
    await discardBody(req);
    return problem("tmp_full", "The server is extracting other parts of uploads right now. Trying again in a moment.", { retryAfterSeconds: 5 });
  }
  try {
    return await claimAndSpool(req, album, archiveId, segment, deps);
  } finally {
    reserved--; // a registered job now counts in segmentJobs
  }
}

async function claimAndSpool(req: Request, album: AlbumRef, archiveId: string, segment: number, deps: SegmentedDeps): Promise<Response> {
  const { archives, log } = deps;
  const key = `${archiveId}:${segment}`;
  const token = `${deps.workerId}:${crypto.randomUUID()}`;
  const claim = await archives.claimSegment(album.id, archiveId, segment, token, leaseSeconds(deps));
  if (claim.result !== "claimed") {
    await discardBody(req);
    switch (claim.result) {
      case "done":
        return problem("segment_done");
      case "busy":
        return problem("segment_busy", undefined, { retryAfterSeconds: Math.max(1, claim.busy_for) });
      case "archive_mismatch":
        return problem("archive_mismatch");
      default:
        return problem("segment_unknown");
    }
  }
  const release = (reason: string | null) =>
    archives.releaseSegment(archiveId, segment, token, reason).catch((error) => {
      log(`album ${album.id} segment ${segment}: could not release its lease: ${(error as Error).message}`);
      return null;
    });
  const length = claim.end - claim.start;
  const declared = req.headers.get("Content-Length");
  if (declared !== null && Number(declared) !== length) {
    await discardBody(req);
    await release(null);
    return problem("segment_length_mismatch",
      `Segment ${segment} is ${length} bytes (bytes ${claim.start} to ${claim.end} of the archive); the request carries ${declared}. Send exactly that range.`);
  }
  const path = `${deps.config.spoolDir}/${archiveId}-${segment}.part`;
  let handedOver = false;
  try {
    // The album is written while a slow client's segment arrives, so its silence never reads as a dead worker.
    const spooled = await whileBeating(deps.store, album.id, spoolBody(req.body, path, length, {
      zipSignature: false, tooLarge: "segment_length_mismatch",
      tooLargeMessage: `Segment ${segment} is ${length} bytes; the request carried more. Send exactly bytes ${claim.start} to ${claim.end} of the archive.`,
    }));
    if (spooled.bytes !== length) {
      await release(null);
      return problem("segment_length_mismatch",
        `Segment ${segment} is ${length} bytes; ${spooled.bytes} arrived. Send exactly bytes ${claim.start} to ${claim.end} of the archive.`);
    }
    const file = new ZipFileReader(path);
    await file.init();
    const reporter = new ProgressReporter(album.id, deps.store, deps.broadcaster, log);
    const job = new SegmentJob({ albumId: album.id, archiveId, segment, start: claim.start, end: claim.end, token, file }, deps, reporter);
    deps.segmentJobs.set(key, job);
    handedOver = true; // the job removes the file on every path
    deps.waitUntil(whileBeating(deps.store, album.id, job.run()));
    const body: SegmentAccepted = { album: album.id, archive: archiveId, segment, entries: claim.entries };
    return json(202, body);
  } catch (error) {
    // Nothing about the archive is judged here: the lease goes back and the same bytes can be sent again.
    await release(null);
    if (error instanceof UploadProblem && error.code === "empty") {
      return problem("segment_length_mismatch", `Segment ${segment} is ${length} bytes; the request had no body. Send exactly that range.`);
    }
    if (error instanceof UploadProblem) return problemFrom(error);
    throw error;
  } finally {
    if (!handedOver) await removeQuietly(path);
  }
}
