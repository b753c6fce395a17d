// Turns entry results into database updates and batched Realtime broadcasts (docs/architecture.md#progress-protocol): at most one
// `progress` message per PROGRESS_INTERVAL_MS per album, but the first and the last result go out at
// once. The database is written in the same batches, so rows and counters advance as work proceeds.
import {
  albumChannel, type AlbumCounters, type AlbumStatus, type EntryUpdate, PROGRESS_EVENT,
  PROGRESS_INTERVAL_MS, type ProgressPayload, STATUS_EVENT, type StatusPayload,
} from "../_shared/progress.ts";
import type { AlbumStore, EntryResult } from "./album-store.ts";
import { AlbumGone } from "./deleted-album.ts";

export interface BroadcastMessage {
  topic: string;
  event: string;
  payload: ProgressPayload | StatusPayload;
  private: true;
}

export type Broadcaster = (messages: BroadcastMessage[]) => Promise<void>;

/** Entries per message: keeps one broadcast far below the 256 KB Free-plan payload limit (docs/supabase-behaviour.md#realtime-limits). */
const ENTRIES_PER_MESSAGE = 200;

/** Batch REST broadcast with the service role (docs/supabase-behaviour.md#rest-broadcast): 202 on success, private topics. */
export function restBroadcaster(supabaseUrl: string, serviceRoleKey: string, fetchFn = fetch): Broadcaster {
  return async (messages) => {
    const response = await fetchFn(`${supabaseUrl}/realtime/v1/api/broadcast`, {
      method: "POST",
      headers: { apikey: serviceRoleKey, Authorization: `Bearer ${serviceRoleKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({ messages }),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`broadcast failed with HTTP ${response.status}`);
  };
}

export function toUpdate(r: EntryResult): EntryUpdate {
  const update: EntryUpdate = { idx: r.idx, name: r.name, size: r.size, status: r.status };
  if (r.status === "uploaded" && r.path) update.path = r.path;
  if (r.reason) update.reason = r.reason;
  return update;
}

export class ProgressReporter {
  #pending: EntryResult[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #sentFirst = false;
  #gone = false;
  counters: AlbumCounters | null = null;

  constructor(
    private readonly albumId: string,
    private readonly store: AlbumStore,
    private readonly broadcast: Broadcaster,
    private readonly log: (message: string) => void = console.error,
  ) {}

  /**
   * True once a write found the album deleted or being deleted (AlbumGone): nothing more is written,
   * and the job removes what it stored (docs/architecture.md#deleting-an-album).
   */
  get gone(): boolean {
    return this.#gone;
  }

  /** Queues one result; `last` (or the very first) is written and broadcast at once. */
  report(result: EntryResult, last = false): Promise<void> {
    if (this.#gone) return Promise.resolve();
    this.#pending.push(result);
    if (!this.#sentFirst || last) {
      this.#sentFirst = true;
      return this.flush();
    }
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.flush().catch((error) => this.log(`album ${this.albumId}: ${(error as Error).message}`));
    }, PROGRESS_INTERVAL_MS);
    return Promise.resolve();
  }

  /** Writes everything queued; serialised so batches reach the database in order. */
  flush(): Promise<void> {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const batch = this.#pending;
    this.#pending = [];
    const run = this.#flushing.then(() => batch.length ? this.#write(batch) : undefined);
    // A failed batch must not block the next ones; the caller of this flush still sees the error.
    this.#flushing = run.catch(() => undefined);
    return run;
  }

  async #write(batch: EntryResult[]): Promise<void> {
    if (this.#gone) return;
    let counters: AlbumCounters;
    try {
      counters = await this.store.recordResults(this.albumId, batch);
    } catch (error) {
      if (error instanceof AlbumGone) this.#gone = true;
      throw error;
    }
    this.counters = counters;
    const topic = albumChannel(this.albumId);
    const messages: BroadcastMessage[] = [];
    for (let i = 0; i < batch.length; i += ENTRIES_PER_MESSAGE) {
      const entries = batch.slice(i, i + ENTRIES_PER_MESSAGE).map(toUpdate);
      messages.push({ topic, event: PROGRESS_EVENT, payload: { ...counters, entries }, private: true });
    }
    await this.#send(messages);
  }

  /** Phase change (`extracting`, `ready`, `partial`, `failed`, `interrupted`). */
  async status(status: AlbumStatus, error: string | null): Promise<void> {
    const payload: StatusPayload = { status, error };
    await this.#send([{ topic: albumChannel(this.albumId), event: STATUS_EVENT, payload, private: true }]);
  }

  // Broadcasts are a live feed, the database is the truth: a failed send is logged, never fatal.
  async #send(messages: BroadcastMessage[]): Promise<void> {
    try {
      await this.broadcast(messages);
    } catch (error) {
      this.log(`album ${this.albumId}: ${(error as Error).message}`);
    }
  }
}
