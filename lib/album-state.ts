/**
 * The album as the live view sees it: database rows merged with broadcast events by `idx`
 * (docs/architecture.md#progress-protocol). Broadcasts arrive in order on one channel, so an event always supersedes what came
 * before it; a database read may finish after newer events, so it only fills in what no event has
 * touched since the read began. Pure; see album-state.test.ts.
 */
import type { AlbumEntryRow, AlbumRow, AlbumStatus, EntryStatus } from "@/lib/database.types";
import type { AlbumCounters, EntryUpdate, ProgressPayload, StatusPayload } from "@/lib/progress";

export type EntryView = {
  idx: number;
  name: string;
  path: string | null;
  size: number;
  status: EntryStatus;
  reason: string | null;
} & Partial<PhotoMetadata>;

/**
 * What extraction learnt of a photo (docs/architecture.md#photo-metadata), from its row. Progress
 * events carry only `takenAt`, so an entry known only from events has none of the others yet
 * (undefined); null means the photo has no such value.
 */
export type PhotoMetadata = {
  takenAt: string | null;
  takenAtSource: "exif" | "archive" | null;
  /** As stored in the file, before orientation is applied. */
  width: number | null;
  height: number | null;
  orientation: number | null;
  cameraMake: string | null;
  cameraModel: string | null;
};

/** The counters a `progress` event carries, plus the reason the album stopped. */
export type AlbumSummary = AlbumCounters & { error: string | null };

export const ACTIVE_STATUSES: AlbumStatus[] = ["uploading", "extracting"];

export function isActive(status: AlbumStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

export function summaryFromRow(row: AlbumRow): AlbumSummary {
  return {
    status: row.status,
    total: row.entries_total,
    uploaded: row.uploaded,
    skipped: row.skipped,
    failed: row.failed,
    bytesDone: Number(row.bytes_done),
    bytesTotal: Number(row.bytes_total),
    error: row.error,
  };
}

type MetadataColumns = "taken_at" | "taken_at_source" | "width" | "height" | "orientation" | "camera_make" | "camera_model";

export function entryFromRow(row: Pick<AlbumEntryRow, "idx" | "name" | "path" | "size" | "status" | "reason"> & Partial<Pick<AlbumEntryRow, MetadataColumns>>): EntryView {
  const entry: EntryView = { idx: row.idx, name: row.name, path: row.path, size: Number(row.size), status: row.status, reason: row.reason };
  if (row.taken_at !== undefined) entry.takenAt = row.taken_at;
  if (row.taken_at_source !== undefined) entry.takenAtSource = row.taken_at_source;
  if (row.width !== undefined) entry.width = row.width;
  if (row.height !== undefined) entry.height = row.height;
  if (row.orientation !== undefined) entry.orientation = row.orientation;
  if (row.camera_make !== undefined) entry.cameraMake = row.camera_make;
  if (row.camera_model !== undefined) entry.cameraModel = row.camera_model;
  return entry;
}

/**
 * An event carries a photo's date (so a live grid can place it in its day) but none of its other
 * metadata: those keep what a row gave them, and a later read fills them in.
 */
function entryFromEvent(entry: EntryUpdate): EntryView {
  const view: EntryView = { idx: entry.idx, name: entry.name, path: entry.path ?? null, size: entry.size, status: entry.status, reason: entry.reason ?? null };
  if (entry.takenAt !== undefined) view.takenAt = entry.takenAt;
  return view;
}

export class AlbumState {
  summary: AlbumSummary;
  /**
   * The album's last sign of life (ms): its row's updated_at, or when the latest event arrived. An
   * `extracting` album quiet for too long has lost its job (stalled-extraction.ts).
   */
  lastActivity: number;
  /** Indexed by idx: archives number their entries 0..n-1, so an array beats a map. */
  private entries: (EntryView | undefined)[] = [];
  private touchedByEvents = new Set<number>();
  /** Progress events carry counters and status; status events carry only the status and error. */
  private countersTouched = false;
  private statusTouched = false;

  constructor(row: AlbumRow) {
    this.summary = summaryFromRow(row);
    this.lastActivity = Date.parse(row.updated_at); // NaN when unknown
  }

  /** Call when a database read starts; events from then on take precedence over its result. */
  beginRead(): void {
    this.touchedByEvents.clear();
    this.countersTouched = false;
    this.statusTouched = false;
  }

  /**
   * `complete`: `rows` are all of the album's rows (a full read, not a catch-up), so an entry missing
   * from them was deleted (docs/architecture.md#deleting-photos) and leaves the view — unless an event
   * touched it during the read.
   */
  applyRows(album: AlbumRow | null, rows: EntryView[], complete = false): void {
    if (album) {
      const row = summaryFromRow(album);
      // A status event says nothing about counters, so it must not discard the counters of a read
      // that was already in flight (that left "Ready, 0 of 2 files" on screen).
      const counters = this.countersTouched ? this.summary : row;
      const status = this.statusTouched ? this.summary : row;
      this.summary = { ...counters, status: status.status, error: status.error };
      const written = Date.parse(album.updated_at);
      // A later write moves it on; an unknown time (NaN) never replaces a known one.
      if (Number.isFinite(written) && !(written <= this.lastActivity)) this.lastActivity = written;
    }
    if (complete) {
      const present = new Set(rows.map((row) => row.idx));
      this.entries.forEach((entry, idx) => {
        if (entry && !present.has(idx) && !this.touchedByEvents.has(idx)) delete this.entries[idx];
      });
    }
    for (const row of rows) {
      // An event supersedes only what it carries: the row still fills in the metadata no event has
      // (camera, size, date source), or a photo that lands while the first read is in flight would
      // keep none of it — a later catch-up read asks only for rows written after this one.
      const current = this.entries[row.idx];
      this.entries[row.idx] = this.touchedByEvents.has(row.idx) && current ? { ...row, ...current } : row;
    }
  }

  applyProgress(payload: ProgressPayload, now = Date.now()): void {
    this.lastActivity = now;
    const { entries, ...counters } = payload;
    this.summary = { ...this.summary, ...counters };
    this.countersTouched = true;
    this.statusTouched = true;
    for (const entry of entries ?? []) {
      this.entries[entry.idx] = { ...this.entries[entry.idx], ...entryFromEvent(entry) };
      this.touchedByEvents.add(entry.idx);
    }
  }

  applyStatus(payload: StatusPayload, now = Date.now()): void {
    this.lastActivity = now;
    this.summary = { ...this.summary, status: payload.status, error: payload.error ?? null };
    this.statusTouched = true;
  }

  /** The entries in archive order, without holes. */
  list(): EntryView[] {
    return this.entries.filter((e): e is EntryView => e !== undefined);
  }
}
