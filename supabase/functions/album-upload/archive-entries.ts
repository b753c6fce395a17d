// Turns a parsed central directory into the archive's entry rows and its segment plan: every file entry
// gets its outcome from the directory alone when it can (junk, symlink, encrypted, overlapping, nested
// archive, over the photo limit, an unreadable method, a size or ratio that cannot be honest, data
// outside the archive) or is `pending` with an album-unique object key and the segment that carries it.
// The same rules as entry-plan.ts, which the single request uses; the reasons are the same words.
import { isArchiveName, junkReason, NESTED_ARCHIVE_REASON } from "../_shared/junk.ts";
import { formatBytes, RATIO_FLOOR_BYTES, type UploadLimits } from "../_shared/limits.ts";
import { displayName, KeyAllocator, objectKey } from "../_shared/object-key.ts";
import type { InvocationFigures } from "../_shared/upload-protocol.ts";
import type { ReasonCode } from "./album-store.ts";
import { type ParsedDirectory, EntryKind } from "./directory-parser.ts";
import { OUT_OF_BOUNDS, SIZE_MISMATCH } from "./entry-bytes.ts";
import { ENCRYPTED_REASON, OVERLAP_REASON } from "./entry-plan.ts";
import { type PlanItem, planSegments, type PlannedRange, type SegmentBudget } from "./segment-plan.ts";

const STORED = 0, DEFLATED = 8, LOCAL_HEADER_LENGTH = 30;
/** Most a local header's extra field and a zip64 data descriptor can add past the name and data. */
const LOCAL_SLACK = 0xffff + 24;
export const UNREADABLE_METHOD = "uses a compression method Shoebox cannot read";

/** A row of insert_archive_entries (migration 20261203000000). */
export interface ArchiveEntryRow {
  idx: number;
  name: string;
  path: string | null;
  size: number;
  status: "pending" | "skipped" | "failed";
  reason: string | null;
  reason_code: ReasonCode | null;
  segment: number | null;
  local_offset: number;
  compressed_size: number;
  crc32: number;
  method: number;
  flags: number;
}

export interface ArchiveLayout {
  /** File entries in directory order (folders have no row). */
  rows: ArchiveEntryRow[];
  segments: PlannedRange[];
  counts: { entries: number; photos: number; skipped: number; failed: number; folders: number };
}

export interface LayoutInput {
  directory: ParsedDirectory;
  /** Where the central directory starts in the file: no entry's data may reach past it. */
  directoryStart: number;
  limits: UploadLimits;
  figures: InvocationFigures;
  budget: SegmentBudget;
  owner: string;
  album: string;
  /** album_entries.idx of directory record 0. */
  idxBase: number;
  /** Prepended to every relative object key (a second archive on the same album). */
  keyPrefix: string;
  /** Segments already recorded for this archive (a resume): entries are assigned to them, not re-planned. */
  existing?: PlannedRange[];
}

type Outcome = { status: "skipped" | "failed"; code: ReasonCode; reason: string } | null;

function judge(d: ParsedDirectory, i: number, directoryStart: number, limits: UploadLimits, maxSegmentBytes: number): Outcome {
  const name = d.names[i];
  const size = d.uncompressed[i], compressed = d.compressed[i], method = d.methods[i];
  const junk = junkReason(name);
  if (junk) return { status: "skipped", code: "junk", reason: junk };
  if (d.kinds[i] === EntryKind.Symlink) return { status: "skipped", code: "symlink", reason: "symbolic link, not a photo" };
  if (d.flags[i] & 1) return { status: "skipped", code: "encrypted", reason: ENCRYPTED_REASON };
  if (d.overlapping.has(i)) return { status: "failed", code: "overlap", reason: OVERLAP_REASON };
  if (isArchiveName(name)) return { status: "skipped", code: "nested_archive", reason: NESTED_ARCHIVE_REASON };
  if (size > limits.bytesPerPhoto) return { status: "skipped", code: "too_large", reason: `larger than ${formatBytes(limits.bytesPerPhoto)}` };
  if (method !== STORED && method !== DEFLATED) return { status: "failed", code: "damaged", reason: UNREADABLE_METHOD };
  if (method === STORED && compressed !== size) return { status: "failed", code: "damaged", reason: SIZE_MISMATCH };
  if (size > RATIO_FLOOR_BYTES && size / Math.max(1, compressed) > limits.maxRatio) {
    return { status: "skipped", code: "ratio", reason: `suspicious compression ratio (more than ${limits.maxRatio}:1), possibly a zip bomb` };
  }
  if (d.offsets[i] + LOCAL_HEADER_LENGTH + d.nameLengths[i] + compressed > directoryStart) {
    return { status: "failed", code: "damaged", reason: OUT_OF_BOUNDS };
  }
  // Only reachable with a /tmp far below the photo limit: say so rather than plan what cannot be spooled.
  if (compressed + LOCAL_HEADER_LENGTH + d.nameLengths[i] > maxSegmentBytes) {
    return { status: "skipped", code: "too_large", reason: `larger than ${formatBytes(maxSegmentBytes)}, the most one upload part can carry` };
  }
  return null;
}

/** Rows, segments and counts for one archive; pure, so a resume computes the same keys and segments. */
export function layOutArchive(input: LayoutInput): ArchiveLayout {
  const { directory: d, directoryStart, limits, figures, owner, album, idxBase, keyPrefix } = input;
  const rows: ArchiveEntryRow[] = [];
  const counts = { entries: 0, photos: 0, skipped: 0, failed: 0, folders: 0 };
  const keys = new KeyAllocator();
  const pendingSlots: number[] = [];
  for (let i = 0; i < d.count; i++) {
    if (d.kinds[i] === EntryKind.Folder) {
      counts.folders++;
      continue;
    }
    counts.entries++;
    const outcome = judge(d, i, directoryStart, limits, figures.maxEntrySegmentBytes);
    const row: ArchiveEntryRow = {
      idx: idxBase + i, name: displayName(d.names[i]), path: null, size: d.uncompressed[i], status: "pending", reason: null,
      reason_code: null, segment: null, local_offset: d.offsets[i], compressed_size: d.compressed[i], crc32: d.crc32[i],
      method: d.methods[i], flags: d.flags[i],
    };
    if (outcome) {
      row.status = outcome.status;
      row.reason = outcome.reason;
      row.reason_code = outcome.code;
      if (outcome.status === "skipped") counts.skipped++;
      else counts.failed++;
    } else {
      row.path = objectKey(owner, album, keyPrefix + keys.allocate(d.names[i]));
      counts.photos++;
      pendingSlots.push(rows.length);
    }
    rows.push(row);
  }
  const segments = input.existing ? assign(rows, pendingSlots, input.existing) : plan(rows, pendingSlots, d, directoryStart, input);
  return { rows, segments, counts };
}

function plan(rows: ArchiveEntryRow[], pendingSlots: number[], d: ParsedDirectory, directoryStart: number, input: LayoutInput): PlannedRange[] {
  // Where each entry ends: the next entry's local header (any entry, in file order) or the directory.
  const order = Uint32Array.from({ length: d.count }, (_, i) => i).sort((a, b) => d.offsets[a] - d.offsets[b] || a - b);
  const nextStart = new Float64Array(d.count);
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    let next = directoryStart;
    for (let j = k + 1; j < order.length; j++) {
      if (d.offsets[order[j]] > d.offsets[i]) {
        next = d.offsets[order[j]];
        break;
      }
    }
    nextStart[i] = next;
  }
  const items: PlanItem[] = pendingSlots.map((slot) => {
    const row = rows[slot];
    const i = row.idx - input.idxBase;
    const reach = d.offsets[i] + LOCAL_HEADER_LENGTH + d.nameLengths[i] + d.compressed[i] + LOCAL_SLACK;
    return { slot, start: d.offsets[i], end: Math.min(nextStart[i], reach), dataBytes: d.compressed[i], deflated: d.methods[i] === DEFLATED };
  }).sort((a, b) => a.start - b.start);
  const { segments, segmentOf } = planSegments(items, input.figures, input.budget, rows.length);
  for (const slot of pendingSlots) rows[slot].segment = segmentOf[slot];
  return segments;
}

/** A resume keeps the recorded segments: each pending entry belongs to the one whose range holds its header. */
function assign(rows: ArchiveEntryRow[], pendingSlots: number[], existing: PlannedRange[]): PlannedRange[] {
  const sorted = [...existing].sort((a, b) => a.start - b.start);
  for (const slot of pendingSlots) {
    const offset = rows[slot].local_offset;
    let lo = 0, hi = sorted.length - 1, found: PlannedRange | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid].start <= offset) {
        found = sorted[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    rows[slot].segment = found && offset < found.end ? found.index : null;
  }
  return existing;
}
