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
  /** File entries (folders have no row). */
  rowCount: number;
  /** Rows `from` up to `to` (exclusive), in directory order: built on demand, a batch at a time, so a
   *  100,000-entry archive never holds 100,000 row objects at once. */
  rowsBetween(from: number, to: number): ArchiveEntryRow[];
  /** Every row (tests; the request takes them in batches). */
  readonly rows: ArchiveEntryRow[];
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
  const counts = { entries: 0, photos: 0, skipped: 0, failed: 0, folders: 0 };
  const keys = new KeyAllocator();
  // One slot per file entry: its directory index, its outcome (null: pending), its key, its segment.
  const records = new Int32Array(d.fileCount);
  const outcomes: Outcome[] = [];
  const paths: (string | null)[] = [];
  const pendingSlots: number[] = [];
  for (let i = 0; i < d.count; i++) {
    if (d.kinds[i] === EntryKind.Folder) {
      counts.folders++;
      continue;
    }
    const slot = counts.entries++;
    records[slot] = i;
    const outcome = judge(d, i, directoryStart, limits, figures.maxEntrySegmentBytes);
    outcomes.push(outcome);
    if (outcome) {
      paths.push(null);
      if (outcome.status === "skipped") counts.skipped++;
      else counts.failed++;
    } else {
      paths.push(objectKey(owner, album, keyPrefix + keys.allocate(d.names[i])));
      counts.photos++;
      pendingSlots.push(slot);
    }
  }
  const segmentOf = new Int32Array(counts.entries).fill(-1);
  const segments = input.existing
    ? assign(records, pendingSlots, d, input.existing, segmentOf)
    : plan(records, pendingSlots, d, directoryStart, input, segmentOf);
  const rowsBetween = (from: number, to: number): ArchiveEntryRow[] => {
    const rows: ArchiveEntryRow[] = [];
    for (let slot = from; slot < Math.min(to, counts.entries); slot++) {
      const i = records[slot], outcome = outcomes[slot];
      rows.push({
        idx: idxBase + i, name: displayName(d.names[i]), path: paths[slot], size: d.uncompressed[i],
        status: outcome?.status ?? "pending", reason: outcome?.reason ?? null, reason_code: outcome?.code ?? null,
        segment: segmentOf[slot] >= 0 ? segmentOf[slot] : null, local_offset: d.offsets[i], compressed_size: d.compressed[i],
        crc32: d.crc32[i], method: d.methods[i], flags: d.flags[i],
      });
    }
    return rows;
  };
  return {
    rowCount: counts.entries, rowsBetween, segments, counts,
    get rows() {
      return rowsBetween(0, counts.entries);
    },
  };
}

function plan(
  records: Int32Array, pendingSlots: number[], d: ParsedDirectory, directoryStart: number, input: LayoutInput, segmentOf: Int32Array,
): PlannedRange[] {
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
    const i = records[slot];
    const reach = d.offsets[i] + LOCAL_HEADER_LENGTH + d.nameLengths[i] + d.compressed[i] + LOCAL_SLACK;
    return { slot, start: d.offsets[i], end: Math.min(nextStart[i], reach), dataBytes: d.compressed[i], deflated: d.methods[i] === DEFLATED };
  }).sort((a, b) => a.start - b.start);
  const planned = planSegments(items, input.figures, input.budget, segmentOf.length);
  segmentOf.set(planned.segmentOf);
  return planned.segments;
}

/** A resume keeps the recorded segments: each pending entry belongs to the one whose range holds its header. */
function assign(records: Int32Array, pendingSlots: number[], d: ParsedDirectory, existing: PlannedRange[], segmentOf: Int32Array): PlannedRange[] {
  const sorted = [...existing].sort((a, b) => a.start - b.start);
  for (const slot of pendingSlots) {
    const offset = d.offsets[records[slot]];
    let lo = 0, hi = sorted.length - 1, found: PlannedRange | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid].start <= offset) {
        found = sorted[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    segmentOf[slot] = found && offset < found.end ? found.index : -1;
  }
  return existing;
}
