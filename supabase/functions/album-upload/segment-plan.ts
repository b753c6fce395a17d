// Cuts an archive into segments: byte ranges of whole entries (local header through data descriptor),
// each small enough for one invocation to receive, spool and extract with margin — its share of the
// worker's /tmp, its CPU from the measured cost per entry and per stored / deflated byte, and the wall
// clock at the client's upload rate (docs/architecture.md#segment-plan). Pure: same input, same plan.
import type { InvocationFigures } from "../_shared/upload-protocol.ts";

const MiB = 1024 * 1024;

/** One entry to extract, with the byte range the plan must send for it. */
export interface PlanItem {
  /** Slot in the caller's arrays (returned in `segmentOf`). */
  slot: number;
  start: number;
  end: number;
  /** Bytes the extraction reads (its compressed size) and whether it inflates them. */
  dataBytes: number;
  deflated: boolean;
}

export interface PlannedRange {
  index: number;
  start: number;
  end: number;
  entries: number;
}

export interface SegmentPlan {
  segments: PlannedRange[];
  /** Segment index per slot; -1 for a slot no segment carries. */
  segmentOf: Int32Array;
}

export interface SegmentBudget {
  bytes: number;
  cpuMs: number;
  entries: number;
  extractMs: number;
}

/** What one segment may hold when the client sends at `rate` bytes/s (undefined: the assumed rate). */
export function segmentBudget(figures: InvocationFigures, rate?: number): SegmentBudget {
  const sending = Math.max(rate && rate > 0 ? rate : figures.assumedUploadRate, 64 * 1024) * figures.sendSeconds;
  return {
    bytes: Math.max(1, Math.floor(Math.min(figures.maxSegmentBytes, sending))),
    cpuMs: figures.cpuMs * figures.cpuShare,
    entries: Math.max(1, Math.floor((figures.cpuMs * figures.cpuShare) / figures.cpuMsPerEntry)),
    // What is left of the wall clock once the segment has been sent, with half kept in reserve.
    extractMs: Math.max(1000, (figures.wallClockMs - figures.sendSeconds * 1000) / 2),
  };
}

/** CPU one segment's extraction is expected to charge. */
export function segmentCpuMs(figures: InvocationFigures, entries: number, storedBytes: number, deflatedBytes: number): number {
  return entries * figures.cpuMsPerEntry + (storedBytes / MiB) * figures.cpuMsPerStoredMiB +
    (deflatedBytes / MiB) * figures.cpuMsPerDeflatedMiB;
}

/**
 * Packs `items` (in file order) into segments under `budget`. A single entry larger than the byte budget
 * gets a segment of its own (up to `maxEntrySegmentBytes`; the caller has skipped larger ones already).
 */
export function planSegments(items: PlanItem[], figures: InvocationFigures, budget: SegmentBudget, slots: number): SegmentPlan {
  const segmentOf = new Int32Array(slots).fill(-1);
  const segments: PlannedRange[] = [];
  let current: PlannedRange | null = null;
  let stored = 0, deflated = 0;
  const extractMs = (n: number, bytes: number) => n * figures.extractMsPerEntry + (bytes / MiB) * figures.extractMsPerMiB;
  for (const item of items) {
    if (current) {
      const n = current.entries + 1;
      const s = stored + (item.deflated ? 0 : item.dataBytes), d = deflated + (item.deflated ? item.dataBytes : 0);
      const fits = item.end - current.start <= budget.bytes && n <= budget.entries &&
        segmentCpuMs(figures, n, s, d) <= budget.cpuMs && extractMs(n, s + d) <= budget.extractMs;
      if (fits) {
        current.end = item.end;
        current.entries = n;
        stored = s;
        deflated = d;
        segmentOf[item.slot] = current.index;
        continue;
      }
    }
    current = { index: segments.length, start: item.start, end: item.end, entries: 1 };
    stored = item.deflated ? 0 : item.dataBytes;
    deflated = item.deflated ? item.dataBytes : 0;
    segments.push(current);
    segmentOf[item.slot] = current.index;
  }
  return { segments, segmentOf };
}
