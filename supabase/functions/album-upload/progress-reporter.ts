// Turns entry results into database updates and batched Realtime broadcasts (docs/architecture.md#progress-protocol): at most one
// `progress` message per PROGRESS_INTERVAL_MS per album, but the first and the last result go out at
// once. The database is written in the same batches, so rows and counters advance as work proceeds.
import {
  albumChannel, type AlbumCounters, type AlbumStatus, type EntryUpdate, PROGRESS_EVENT,
  PROGRESS_INTERVAL_MS, type ProgressPayload, STATUS_EVENT, type StatusPayload,
} from "../_shared/progress.ts";
import type { AlbumStore, EntryResult } from "./album-store.ts";
import { AlbumGone } from "./deleted-album.ts";
import { BroadcastOutbox, BroadcastRefused, ENTRIES_PER_MESSAGE } from "./broadcast-outbox.ts";

export interface BroadcastMessage {
  topic: string;
  event: string;
  payload: ProgressPayload | StatusPayload;
  private: true;
}

export type Broadcaster = (messages: BroadcastMessage[]) => Promise<void>;

/** How long a phase change waits for its broadcast (retries go on after that, in the background). */
const STATUS_WAIT_MS = 10_000;

/** Batch REST broadcast with the service role (docs/supabase-behaviour.md#rest-broadcast): 202 on success, private topics. */
export function restBroadcaster(supabaseUrl: string, serviceRoleKey: string, fetchFn = fetch): Broadcaster {
  return async (messages) => {
    const response = await fetchFn(`${supabaseUrl}/realtime/v1/api/broadcast`, {
      method: "POST",
      headers: { apikey: serviceRoleKey, Authorization: `Bearer ${serviceRoleKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({ messages }),
    });
    await response.body?.cancel();
    if (!response.ok) throw new BroadcastRefused(response.status);
  };
}

export function toUpdate(r: EntryResult): EntryUpdate {
  const update: EntryUpdate = { idx: r.idx, name: r.name, size: r.size, status: r.status };
  if (r.status === "uploaded" && r.path) update.path = r.path;
  if (r.reason) update.reason = r.reason;
  if (r.status === "uploaded" && r.taken_at) update.takenAt = r.taken_at;
  return update;
}

export class ProgressReporter {
  #pending: EntryResult[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #sentFirst = false;
  #gone = false;
  readonly #outbox: BroadcastOutbox;
  counters: AlbumCounters | null = null;

  constructor(
    private readonly albumId: string,
    private readonly store: AlbumStore,
    broadcast: Broadcaster,
    private readonly log: (message: string) => void = console.error,
  ) {
    this.#outbox = new BroadcastOutbox(broadcast, { log: (message) => log(`album ${albumId}: ${message}`) });
  }

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
      // A deleted album is the job's to handle (it reads `gone`), not a failure to log.
      this.flush().catch((error) => void (error instanceof AlbumGone || this.log(`album ${this.albumId}: ${(error as Error).message}`)));
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
    // Not awaited: a Realtime refusing broadcasts must not hold up the extraction (the outbox retries).
    void this.#outbox.post(messages);
  }

  /**
   * Phase change (`extracting`, `ready`, `partial`, `failed`, `interrupted`): resolves once it and the
   * progress before it were broadcast, or after STATUS_WAIT_MS while retries go on.
   */
  async status(status: AlbumStatus, error: string | null): Promise<void> {
    const payload: StatusPayload = { status, error };
    const sent = this.#outbox.post([{ topic: albumChannel(this.albumId), event: STATUS_EVENT, payload, private: true }]);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waited = new Promise<void>((done) => (timer = setTimeout(done, STATUS_WAIT_MS)));
    await Promise.race([sent, waited]).finally(() => clearTimeout(timer));
  }
}
