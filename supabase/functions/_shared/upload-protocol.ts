// The upload contract between the album-upload function and the web app: request forms, answers, the
// segment plan, the one closed list of problem codes, the directory locator and the archive fingerprint.
// No imports on purpose: the function (Deno), the browser and Node tests all import this file as is.
// How the pieces fit: docs/architecture.md#segmented-upload.

// ---------------------------------------------------------------------------------------------------
// Request forms
// ---------------------------------------------------------------------------------------------------

export const UPLOAD_FUNCTION = "album-upload";

/** Headers of the directory request (values are plain ASCII; the name is percent-encoded). */
export const ARCHIVE_SIZE_HEADER = "X-Archive-Size";
export const ARCHIVE_NAME_HEADER = "X-Archive-Name";
/** Bytes per second the browser measured while sending; the plan sizes segments from it. */
export const UPLOAD_RATE_HEADER = "X-Upload-Rate";

/**
 * The three POST forms, all on `/functions/v1/album-upload`:
 * - single:    `?album=<id>`                              body = the whole zip (archives that fit one invocation)
 * - directory: `?album=<id>&part=directory`               body = the archive from its central directory to its end
 * - segment:   `?album=<id>&archive=<id>&segment=<index>` body = exactly the planned byte range
 * - leave:     `?album=<id>&part=leave[&reason=cancelled]` no body; sent with `keepalive` on pagehide, or
 *              when the person cancels: the album waits for the same zip (`interrupted`) instead of
 *              looking busy, and its message says which of the two stopped it
 * `GET` answers the per-invocation figures (InvocationFigures).
 */
export type UploadRequest =
  | { form: "single"; album: string }
  | { form: "directory"; album: string }
  | { form: "segment"; album: string; archive: string; segment: number }
  | { form: "leave"; album: string; reason?: LeaveReason };

/** Why the browser stopped sending: its page went away, or the person pressed Cancel. */
export type LeaveReason = "closed" | "cancelled";

export function uploadPath(request: UploadRequest): string {
  const query = new URLSearchParams({ album: request.album });
  if (request.form === "directory") query.set("part", "directory");
  if (request.form === "leave") {
    query.set("part", "leave");
    if (request.reason === "cancelled") query.set("reason", "cancelled");
  }
  if (request.form === "segment") {
    query.set("archive", request.archive);
    query.set("segment", String(request.segment));
  }
  return `/functions/v1/${UPLOAD_FUNCTION}?${query}`;
}

/** Headers of a directory request for an archive of `size` bytes named `name`. */
export function directoryHeaders(size: number, name: string, uploadRate?: number): Record<string, string> {
  const headers: Record<string, string> = {
    [ARCHIVE_SIZE_HEADER]: String(size),
    [ARCHIVE_NAME_HEADER]: encodeURIComponent(name),
  };
  if (uploadRate && Number.isFinite(uploadRate) && uploadRate > 0) headers[UPLOAD_RATE_HEADER] = String(Math.round(uploadRate));
  return headers;
}

// ---------------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------------

/**
 * A segment as the browser sees it: `pending` (to send), `busy` (a live worker holds its lease: send it
 * again after the lease ends), `done` (every entry in it has its outcome: never send it again).
 */
export type SegmentStatus = "pending" | "busy" | "done";

/** One planned byte range of the archive: whole entries, local header through data descriptor. */
export interface PlannedSegment {
  index: number;
  /** First byte (inclusive), as an offset into the file the browser holds. */
  start: number;
  /** Last byte (exclusive). */
  end: number;
  /** Entries whose extraction this segment carries. */
  entries: number;
  status: SegmentStatus;
  /** When `busy`: seconds until the lease ends at the latest. */
  busyForSeconds?: number;
}

/** Entry counts of one archive, as its rows stand. */
export interface ArchiveCounts {
  /** File entries (folders have no row). */
  entries: number;
  /** Photos still to extract or extracted (not skipped or failed from the directory alone). */
  photos: number;
  skipped: number;
  failed: number;
  folders: number;
}

/** 200 to a directory request: the archive is recorded and here is what to send. */
export interface DirectoryAnswer extends ArchiveCounts {
  album: string;
  archive: string;
  fingerprint: string;
  /** True when this archive was already recorded on the album (a resume): only `pending` segments remain. */
  resumed: boolean;
  segments: PlannedSegment[];
  message?: string;
}

/** 202 to a segment request: its bytes are spooled and its entries are being extracted. */
export interface SegmentAccepted {
  album: string;
  archive: string;
  segment: number;
  entries: number;
}

/** 202 to the single-request form. */
export interface SingleAccepted extends ArchiveCounts {
  album: string;
  archive: string;
  message?: string;
}

/** What the function sends with every refusal (and with `segment_done`). */
export interface ProblemBody {
  code: ProblemCode;
  message: string;
  /** For `segment_busy`, `extraction_running`, `tmp_full`: when to try again. Also sent as Retry-After. */
  retryAfterSeconds?: number;
  /** For `already_imported`: the album that holds this archive. */
  album?: string;
  /** For `extraction_running`: how far the running extraction is. */
  progress?: { done: number; total: number };
}

// ---------------------------------------------------------------------------------------------------
// Per-invocation figures (GET) and the ceilings
// ---------------------------------------------------------------------------------------------------

/**
 * What one invocation can take, as the plan uses it. The function publishes these on GET; the browser
 * uses `archiveCeilingBytes`, `singleRequestBytes` and the entry limits for its pre-flight.
 */
export interface InvocationFigures {
  /** The worker's /tmp quota. */
  tmpBytes: number;
  /** Segment requests one worker's /tmp must hold at once; a segment is at most tmpBytes / this. */
  segmentsPerWorker: number;
  /** Largest segment the plan packs entries into, whatever the rate. */
  maxSegmentBytes: number;
  /** Largest segment holding one entry alone (a big photo): larger entries are skipped with a reason. */
  maxEntrySegmentBytes: number;
  /** CPU one invocation may spend (hosted: 2 s), and the share of it a plan may fill. */
  cpuMs: number;
  cpuShare: number;
  /** Measured CPU costs the plan adds up per segment. */
  cpuMsPerEntry: number;
  cpuMsPerStoredMiB: number;
  cpuMsPerDeflatedMiB: number;
  /** Wall clock the background extraction spends per entry and per MiB (Storage round trips and transfer). */
  extractMsPerEntry: number;
  extractMsPerMiB: number;
  /** Wall clock of one worker; a segment's upload must stay within `sendSeconds` of it. */
  wallClockMs: number;
  sendSeconds: number;
  /** Upload rate assumed when the browser measured none (bytes/s). */
  assumedUploadRate: number;
  /** Largest archive the single-request form takes (the /tmp quota). */
  singleRequestBytes: number;
  /** Largest archive any plan takes. */
  archiveCeilingBytes: number;
  /** Largest photo (the bucket's object limit): larger entries are skipped with a reason. */
  bytesPerPhoto: number;
  /** Most entries one archive may list. */
  entryCount: number;
  /** Total bytes all entries of one archive may expand to. */
  uncompressedBytes: number;
  /** Largest expansion factor tolerated for one entry. */
  maxRatio: number;
  /** Largest central directory a directory request takes. */
  maxDirectoryBytes: number;
}

/** Default ceiling for one archive (configurable on the function): 50 GB. */
export const DEFAULT_ARCHIVE_CEILING_BYTES = 50_000_000_000;
/** A central directory larger than this is refused; 100 000 entries with long names stay well below it. */
export const MAX_DIRECTORY_BYTES = 64 * 1024 * 1024;
/** Segment requests in flight at once from one browser (the plan's /tmp share assumes this many). */
export const SEGMENTS_IN_FLIGHT = 3;

// ---------------------------------------------------------------------------------------------------
// Problems: the one closed list
// ---------------------------------------------------------------------------------------------------

interface ProblemSpec {
  /** HTTP status the function answers with (200 for `segment_done`, which is a success). */
  status: number;
  /** True when sending the same request again later can succeed. */
  retry: boolean;
  /** Default message for people: what happened and what to do. */
  message: string;
}

const SPLIT_JOIN = "Join the parts into a single .zip file (for example with 7-Zip or `zip -s 0`) and upload that.";
const DROP_SAME = "Drop the same zip file on the album to continue.";

/**
 * Every code the function, the browser's pre-flight and the app use for a refused or stopped upload.
 * Entry-level outcomes (a skipped video, a damaged photo) are not here: they are rows with a reason.
 */
export const PROBLEMS = {
  // The request itself
  method_not_allowed: { status: 405, retry: false, message: "Use POST with the zip archive (or one planned part of it) as the body." },
  unauthorized: { status: 401, retry: false, message: "Sign in to upload an album." },
  bad_request: { status: 400, retry: false, message: "The upload request is malformed; reload the page and drop the zip again." },
  not_found: { status: 404, retry: false, message: "No such album, or it is not yours. Reload the page to see your albums." },
  wrong_status: { status: 409, retry: false, message: "This album does not accept an archive now; reload it to see where it stands." },
  // The archive, judged from its first bytes or its directory
  empty: { status: 400, retry: false, message: "The upload was empty. Choose the zip file again and drop it." },
  not_zip: { status: 415, retry: false, message: "This file is not a zip archive. Choose a .zip file; if it is one, create it again." },
  truncated: { status: 422, retry: false, message: "The archive is incomplete: its end is missing, so the file was probably cut short. Download or copy the whole file again and upload that." },
  split: { status: 422, retry: false, message: `This archive is one part of a split (multi-volume) zip. ${SPLIT_JOIN}` },
  damaged: { status: 422, retry: false, message: "The archive is damaged: its table of contents (central directory) cannot be read. Create the zip again and upload that." },
  encrypted: { status: 422, retry: false, message: "Every file in this archive is password-protected. Shoebox cannot open encrypted archives; zip the photos again without a password." },
  too_many_entries: { status: 422, retry: false, message: "The archive lists more files than one upload may hold. Split it into several zips with fewer files each." },
  unpacked_too_large: { status: 422, retry: false, message: "Unpacked, the archive holds more than one upload may take. Split it into several smaller zips." },
  archive_too_large: { status: 413, retry: false, message: "The archive is larger than Shoebox takes in one upload. Split it into several smaller zips." },
  single_too_large: { status: 413, retry: false, message: "The archive is too large to send in one request; send it in segments (drop it in the app, which does that)." },
  storage_quota: { status: 403, retry: false, message: "This archive does not fit in your storage. Delete albums you no longer need, then drop the zip again." },
  no_photos: { status: 422, retry: false, message: "No photos found in this archive. Check that you picked the right zip." },
  // Which archive goes on which album
  different_archive: { status: 409, retry: false, message: `This album is waiting for the rest of a different zip. ${DROP_SAME} Or create a new album for this one.` },
  already_imported: { status: 409, retry: false, message: "This zip is already in one of your albums. Open that album instead of importing it twice." },
  archive_mismatch: { status: 409, retry: false, message: "That archive belongs to a different album. Reload the page and drop the zip on its album." },
  // Segments
  segment_unknown: { status: 422, retry: false, message: "That part of the archive was not in the upload plan. Reload the album and drop the same zip again." },
  segment_length_mismatch: { status: 400, retry: true, message: "The part that arrived is not the size the plan expects; it was probably cut short. Send it again." },
  segment_done: { status: 200, retry: false, message: "That part of the archive is already imported." },
  segment_busy: { status: 409, retry: true, message: "That part of the archive is being imported right now. Try again when it is done." },
  // The server side
  extraction_running: { status: 409, retry: true, message: "This album is being imported right now. Watch its progress; drop the zip again only if it stops." },
  tmp_full: { status: 503, retry: true, message: "The server is busy with other uploads right now. Trying again in a moment." },
  interrupted: { status: 503, retry: true, message: `The server stopped while receiving the archive. ${DROP_SAME}` },
  connection_lost: { status: 400, retry: true, message: `The connection was lost before the whole file arrived. ${DROP_SAME}` },
  internal: { status: 500, retry: true, message: "Something went wrong on the server while receiving the archive. Please try again." },
  // What the platform in front of the function may answer (no function code in the body)
  worker_limit: { status: 546, retry: true, message: "The server ran out of resources for this part of the upload. Trying again." },
  timeout: { status: 504, retry: true, message: "The server took too long to answer. Trying again." },
  network: { status: 0, retry: true, message: "The connection was lost. Check your network; the upload continues when it is back." },
} as const satisfies Record<string, ProblemSpec>;

export type ProblemCode = keyof typeof PROBLEMS;

export const PROBLEM_CODES = Object.keys(PROBLEMS) as ProblemCode[];

export function isProblemCode(value: unknown): value is ProblemCode {
  return typeof value === "string" && Object.prototype.hasOwnProperty.call(PROBLEMS, value);
}

export function problemSpec(code: ProblemCode): ProblemSpec {
  return PROBLEMS[code];
}

/** The body the function sends for `code`, with the default message unless a more precise one is given. */
export function problemBody(code: ProblemCode, message?: string, extra?: Omit<ProblemBody, "code" | "message">): ProblemBody {
  return { code, message: message ?? PROBLEMS[code].message, ...extra };
}

/** An upload refused for a reason named in PROBLEMS; thrown by the locator and by the function's checks. */
export class UploadProblem extends Error {
  constructor(readonly code: ProblemCode, message?: string) {
    super(message ?? PROBLEMS[code].message);
    this.name = "UploadProblem";
  }

  get status(): number {
    return PROBLEMS[this.code].status;
  }
}

/**
 * What an answer means, whoever produced it: the function's `{code, message}`, the platform's
 * `{code: "WORKER_LIMIT", …}` / `{msg}`, or no body at all. The browser maps every answer through this.
 */
export function readProblem(status: number, body: unknown): { code: ProblemCode; message: string; retry: boolean } {
  const record = body && typeof body === "object" ? body as Record<string, unknown> : {};
  const text = [record.message, record.msg, record.error].find((v) => typeof v === "string" && v) as string | undefined;
  let code: ProblemCode;
  if (isProblemCode(record.code)) code = record.code;
  else if (status === 546 || record.code === "WORKER_LIMIT") code = "worker_limit";
  else if (status === 504) code = "timeout";
  else if (status === 0) code = "network";
  else if (status === 401) code = "unauthorized";
  else if (status === 404) code = "not_found";
  else if (status === 413) code = "archive_too_large";
  else code = "internal";
  const fromFunction = isProblemCode(record.code);
  return { code, message: fromFunction && text ? text : PROBLEMS[code].message, retry: PROBLEMS[code].retry };
}

// ---------------------------------------------------------------------------------------------------
// Directory locator: where the central directory lies, from the archive's last bytes
// ---------------------------------------------------------------------------------------------------

const EOCD = 0x06054b50, ZIP64_LOCATOR = 0x07064b50, ZIP64_EOCD = 0x06064b50, CENTRAL = 0x02014b50, LOCAL = 0x04034b50;
const EOCD_LENGTH = 22, ZIP64_LOCATOR_LENGTH = 20, ZIP64_EOCD_LENGTH = 56;

/** The last bytes to read first: the end record, its longest comment, and the zip64 locator and record. */
export const TAIL_PROBE_BYTES = EOCD_LENGTH + 0xffff + ZIP64_LOCATOR_LENGTH + ZIP64_EOCD_LENGTH;

export interface DirectoryLocation {
  archiveSize: number;
  /** Offset of the first central-directory record in the file (the directory request's body starts here). */
  directoryStart: number;
  directoryLength: number;
  /** Entries the end record declares (a 16-bit count may have wrapped in archives without zip64). */
  declaredEntries: number;
  /** Offset where the end records (zip64 record, or the classic one) begin. */
  endRecordsStart: number;
  /** Bytes prepended to the archive (self-extractors): add to every offset the directory records. */
  shift: number;
  zip64: boolean;
}

/** Either where the directory is, or the offset from which the last bytes must be read to tell. */
export type LocateResult = { location: DirectoryLocation } | { readFrom: number };

const viewOf = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

function isLocalHeader(head: Uint8Array | undefined): boolean {
  return !!head && head.length >= 4 && viewOf(head).getUint32(0, true) === LOCAL;
}

/**
 * Finds the central directory from `tail`, the archive's last `tail.length` bytes (`archiveSize` in all).
 * Start with the last TAIL_PROBE_BYTES; when the answer is `readFrom`, read from there to the end and ask
 * again. `head` (the first bytes, when known) tells a cut-off zip from a file that is not a zip.
 * Throws UploadProblem: `split` for any part of a split set (whatever its first bytes), `not_zip` for a
 * file that merely contains end-record signatures, `truncated`, `damaged`.
 */
export function locateDirectory(tail: Uint8Array, archiveSize: number, head?: Uint8Array): LocateResult {
  const tailStart = archiveSize - tail.length;
  if (tailStart < 0) throw new RangeError("tail is longer than the archive");
  if (archiveSize < EOCD_LENGTH) throw new UploadProblem(archiveSize === 0 ? "empty" : "not_zip");
  const searchFrom = Math.max(0, archiveSize - EOCD_LENGTH - 0xffff);
  const v = viewOf(tail);
  let split = false, found = false;
  // Search what the tail holds; the real record may lie further back only when the tail is shorter
  // than the whole window (a comment of up to 64 KiB follows it).
  for (let at = archiveSize - EOCD_LENGTH; at >= Math.max(searchFrom, tailStart); at--) {
    const i = at - tailStart;
    if (v.getUint32(i, true) !== EOCD) continue;
    // The record and its comment must fit in the file to be the real one.
    if (i + EOCD_LENGTH + v.getUint16(i + 20, true) > tail.length) continue;
    found = true;
    const result = readEndRecords(tail, tailStart, archiveSize, at);
    if (result === "split") split = true;
    else if (result !== null) return result;
  }
  if (split) throw new UploadProblem("split");
  if (tailStart > searchFrom) return { readFrom: Math.max(0, archiveSize - TAIL_PROBE_BYTES) };
  if (found) {
    throw new UploadProblem("not_zip",
      "This file contains bytes that look like the end of a zip, but no zip table of contents: it is not a zip archive. Choose the .zip file itself.");
  }
  if (isLocalHeader(head)) throw new UploadProblem("truncated");
  throw new UploadProblem("not_zip",
    "This file is not a zip archive (it has no zip end record). Choose a .zip file; if it is one, it may be cut short: download it again.");
}

/** One end-record candidate at absolute offset `at`: a location, a read request, "split", or null (not real). */
function readEndRecords(tail: Uint8Array, tailStart: number, archiveSize: number, at: number): LocateResult | "split" | null {
  const v = viewOf(tail);
  const i = at - tailStart;
  let disk = v.getUint16(i + 4, true), directoryDisk = v.getUint16(i + 6, true);
  let onDisk = v.getUint16(i + 8, true), count = v.getUint16(i + 10, true);
  let length = v.getUint32(i + 12, true), offset = v.getUint32(i + 16, true);
  let endRecordsStart = at, zip64 = false;
  const needsZip64 = count === 0xffff || onDisk === 0xffff || length === 0xffffffff || offset === 0xffffffff ||
    disk === 0xffff || directoryDisk === 0xffff;
  const locatorAt = at - ZIP64_LOCATOR_LENGTH;
  if (locatorAt >= 0 && (needsZip64 || hasSignature(tail, tailStart, locatorAt, ZIP64_LOCATOR))) {
    if (locatorAt < tailStart) return { readFrom: Math.max(0, locatorAt - ZIP64_EOCD_LENGTH) };
    const l = locatorAt - tailStart;
    if (v.getUint32(l, true) === ZIP64_LOCATOR) {
      if (v.getUint32(l + 16, true) > 1) return "split";
      // The record normally sits right before the locator; the recorded offset is off by any prepended bytes.
      const recorded = Number(v.getBigUint64(l + 8, true));
      const adjacent = locatorAt - ZIP64_EOCD_LENGTH;
      const recordAt = hasSignature(tail, tailStart, adjacent, ZIP64_EOCD) ? adjacent : recorded;
      if (recordAt < 0 || recordAt + ZIP64_EOCD_LENGTH > archiveSize) return null;
      if (recordAt < tailStart) return { readFrom: recordAt };
      const r = recordAt - tailStart;
      if (v.getUint32(r, true) !== ZIP64_EOCD) return null;
      disk = v.getUint32(r + 16, true);
      directoryDisk = v.getUint32(r + 20, true);
      onDisk = Number(v.getBigUint64(r + 24, true));
      count = Number(v.getBigUint64(r + 32, true));
      length = Number(v.getBigUint64(r + 40, true));
      offset = Number(v.getBigUint64(r + 48, true));
      endRecordsStart = recordAt;
      zip64 = true;
    } else if (needsZip64) {
      return null;
    }
  }
  // Any disk number but the first means this is one part of a split set, whatever its first bytes.
  if (disk !== 0 || directoryDisk !== 0) return "split";
  if (onDisk !== count) return "split";
  const directoryStart = endRecordsStart - length;
  if (directoryStart < 0) return null;
  const shift = directoryStart - offset;
  // A directory that claims to start after where it ends here means bytes are missing before it.
  if (shift < 0) return null;
  if (count === 0 && length === 0) {
    return { location: { archiveSize, directoryStart, directoryLength: 0, declaredEntries: 0, endRecordsStart, shift, zip64 } };
  }
  if (length < 46) return null;
  if (directoryStart < tailStart) return { readFrom: directoryStart };
  if (!hasSignature(tail, tailStart, directoryStart, CENTRAL)) return null;
  return { location: { archiveSize, directoryStart, directoryLength: length, declaredEntries: count, endRecordsStart, shift, zip64 } };
}

function hasSignature(tail: Uint8Array, tailStart: number, at: number, signature: number): boolean {
  const i = at - tailStart;
  return i >= 0 && i + 4 <= tail.length && viewOf(tail).getUint32(i, true) === signature;
}

/** The central directory's bytes inside `tail` (which must reach back to `location.directoryStart`). */
export function directoryBytes(tail: Uint8Array, location: DirectoryLocation): Uint8Array {
  const i = location.directoryStart - (location.archiveSize - tail.length);
  if (i < 0) throw new RangeError("tail does not reach the central directory");
  return tail.subarray(i, i + location.directoryLength);
}

// ---------------------------------------------------------------------------------------------------
// Fingerprint
// ---------------------------------------------------------------------------------------------------

/**
 * `<archive bytes>:<sha-256 hex of the central directory>` — the same archive gives the same fingerprint
 * in the browser (from the tail it reads) and in the function (from the directory request or the spooled
 * file). It identifies an archive on an album for resuming, and across albums for duplicates.
 */
export async function archiveFingerprint(archiveSize: number, directory: Uint8Array): Promise<string> {
  const copy = new Uint8Array(directory.byteLength);
  copy.set(directory);
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", copy));
  let hex = "";
  for (const byte of hash) hex += byte.toString(16).padStart(2, "0");
  return `${archiveSize}:${hex}`;
}
