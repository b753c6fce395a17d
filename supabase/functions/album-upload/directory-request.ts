// The directory request: the archive's tail (central directory through end records) in, the archive
// recorded on the album with one row per entry and a segment plan out (docs/architecture.md#segmented-upload).
// The same request for an archive the album already has answers its plan with each segment's status:
// that is how an upload resumes.
import { formatBytes } from "../_shared/limits.ts";
import {
  ARCHIVE_NAME_HEADER, ARCHIVE_SIZE_HEADER, archiveFingerprint, type DirectoryAnswer, directoryBytes, MAX_DIRECTORY_BYTES,
  locateDirectory, type PlannedSegment, TAIL_PROBE_BYTES, UPLOAD_RATE_HEADER, UploadProblem,
} from "../_shared/upload-protocol.ts";
import { json } from "../_shared/cors.ts";
import { layOutArchive } from "./archive-entries.ts";
import type { RecordArchiveResult } from "./archive-store.ts";
import { parseDirectory } from "./directory-parser.ts";
import { ProgressReporter } from "./progress-reporter.ts";
import { discardBody, problem, problemFrom } from "./responses.ts";
import { type PlannedRange, segmentBudget } from "./segment-plan.ts";
import type { SegmentedDeps } from "./upload-deps.ts";

/** Rows per insert: few round trips for 100,000 entries, each JSON body a few MB. */
export const ROW_BATCH = 5000;

export interface AlbumRef {
  id: string;
  owner_id: string;
}

interface DirectoryHeaders {
  size: number;
  name: string;
  rate: number | undefined;
}

function readHeaders(req: Request, ceiling: number): DirectoryHeaders | Response {
  const rawSize = req.headers.get(ARCHIVE_SIZE_HEADER) ?? "";
  const size = Number(rawSize);
  if (!/^\d+$/.test(rawSize) || !Number.isSafeInteger(size)) {
    return problem("bad_request", `The directory request needs the ${ARCHIVE_SIZE_HEADER} header: the archive's size in bytes.`);
  }
  if (size > ceiling) {
    return problem("archive_too_large",
      `The archive is ${formatBytes(size)}; Shoebox takes archives of up to ${formatBytes(ceiling)}. Split the photos into several smaller zips.`);
  }
  let name = "archive.zip";
  try {
    name = decodeURIComponent(req.headers.get(ARCHIVE_NAME_HEADER) ?? "") || name;
  } catch {
    // a malformed name is only a label
  }
  const rate = Number(req.headers.get(UPLOAD_RATE_HEADER));
  return { size, name: name.slice(0, 255), rate: Number.isFinite(rate) && rate > 0 ? rate : undefined };
}

/** The body, refused beyond `max` bytes without reading further. */
async function readTail(req: Request, max: number): Promise<Uint8Array | null> {
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

type Refused = Exclude<RecordArchiveResult, { result: "created" | "existing" }>;

function refusal(recorded: Refused): Response {
  switch (recorded.result) {
    case "not_found":
      return problem("not_found");
    case "wrong_status":
      return problem("wrong_status");
    case "already_imported":
      return problem("already_imported", undefined, { album: recorded.album });
    case "different_archive":
      return problem("different_archive");
    case "extraction_running":
      return problem("extraction_running",
        `This album is being imported right now (${recorded.done.toLocaleString("en")} of ${recorded.total.toLocaleString("en")} files done). Watch its progress; drop the zip again only if it stops.`,
        { progress: { done: recorded.done, total: recorded.total }, retryAfterSeconds: 30 });
  }
}

const toRanges = (plan: PlannedSegment[]): PlannedRange[] => plan.map(({ index, start, end, entries }) => ({ index, start, end, entries }));
const sameRanges = (a: PlannedRange[], b: PlannedRange[]) =>
  a.length === b.length && a.every((s, i) => s.index === b[i].index && s.start === b[i].start && s.end === b[i].end);

export async function receiveDirectory(req: Request, album: AlbumRef, deps: SegmentedDeps): Promise<Response> {
  const { config, archives } = deps;
  const headers = readHeaders(req, config.figures.archiveCeilingBytes);
  if (headers instanceof Response) {
    await discardBody(req);
    return headers;
  }
  const tail = await readTail(req, Math.min(headers.size, MAX_DIRECTORY_BYTES + TAIL_PROBE_BYTES));
  if (!tail) return problem("damaged", "The archive's table of contents (central directory) is larger than Shoebox reads. Split the photos into several smaller zips.");
  if (tail.length > headers.size) return problem("bad_request", `The body is longer than the ${ARCHIVE_SIZE_HEADER} the request states.`);
  try {
    const located = locateDirectory(tail, headers.size);
    if (!("location" in located)) {
      return problem("bad_request",
        `The body must be the archive from the start of its central directory (byte ${located.readFrom}) to its end.`);
    }
    const { location } = located;
    const bytes = directoryBytes(tail, location);
    const directory = parseDirectory(bytes, location, config.limits.entryCount);
    if (directory.declaredBytes > config.figures.uncompressedBytes) {
      throw new UploadProblem("unpacked_too_large",
        `Unpacked, the archive holds ${formatBytes(directory.declaredBytes)}; one archive may expand to at most ${formatBytes(config.figures.uncompressedBytes)}. Split it into several smaller zips.`);
    }
    const fingerprint = await archiveFingerprint(headers.size, bytes);
    const recorded = await archives.recordArchive(album.id, fingerprint, headers.size, headers.name, directory.count);
    if (recorded.result !== "created" && recorded.result !== "existing") return refusal(recorded as Refused);

    const existing = recorded.planned ? toRanges(await archives.plan(recorded.archive)) : undefined;
    const layoutFor = (ranges?: PlannedRange[]) => layOutArchive({
      directory, directoryStart: location.directoryStart, limits: config.limits, figures: config.figures,
      budget: segmentBudget(config.figures, headers.rate), owner: album.owner_id, album: album.id,
      idxBase: recorded.idx_base, keyPrefix: recorded.key_prefix, existing: ranges,
    });
    let layout = layoutFor(existing);
    // The plan goes first (rows name their segment); a plan another request recorded first wins.
    let plan = recorded.planned ? await archives.plan(recorded.archive) : await archives.writePlan(recorded.archive, layout.segments);
    if (!recorded.planned && !sameRanges(toRanges(plan), layout.segments)) layout = layoutFor(toRanges(plan));
    // Rows go in in order, batch after batch: the first `rows` are there from a request that stopped.
    for (let at = recorded.rows; at < layout.rowCount; at += ROW_BATCH) {
      await archives.insertRows(recorded.archive, layout.rowsBetween(at, at + ROW_BATCH));
    }
    if (layout.segments.length === 0 && await archives.finishArchiveIfDone(recorded.archive)) {
      // Nothing to extract (only folders, junk or refused entries): the album ends here.
      const reporter = new ProgressReporter(album.id, deps.store, deps.broadcaster, deps.log);
      const counters = await deps.store.counters(album.id);
      await reporter.status(counters.status, null).catch((error) => deps.log(`album ${album.id}: status broadcast failed: ${(error as Error).message}`));
      plan = [];
    }
    const answer: DirectoryAnswer = {
      album: album.id, archive: recorded.archive, fingerprint, resumed: recorded.result === "existing", ...layout.counts, segments: plan,
    };
    if (layout.counts.entries === 0) answer.message = "The archive is empty: there is nothing to import.";
    return json(200, answer);
  } catch (error) {
    if (error instanceof UploadProblem) return problemFrom(error);
    throw error;
  }
}
