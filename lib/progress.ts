/**
 * The progress contract of the album-upload function (docs/architecture.md#progress-protocol): channel `album:<id>`, events
 * `progress` and `status`. One file, shared with the function, so both sides cannot drift apart.
 */
export {
  albumChannel,
  entriesDone,
  PROGRESS_EVENT,
  PROGRESS_INTERVAL_MS,
  STATUS_EVENT,
  type AlbumCounters,
  type AlbumStatus,
  type EntryStatus,
  type EntryUpdate,
  type ProgressPayload,
  type StatusPayload,
} from "../supabase/functions/_shared/progress.ts";
