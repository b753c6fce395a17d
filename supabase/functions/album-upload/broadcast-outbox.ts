// Progress broadcasts in order, through a Realtime that may refuse them for a while: when the project is
// over its messages per second (someone may be flooding it) the REST broadcast answers 429, and a
// network hiccup throws. A refused send is retried with growing pauses; messages queued meanwhile are
// merged (the newest counters, every entry update once), so a backlog shrinks to a few messages instead
// of growing into a flood of its own. The database stays the truth: the album page reads it when
// events stop, so a message given up after GIVE_UP_MS loses no data, only immediacy.
import type { BroadcastMessage, Broadcaster } from "./progress-reporter.ts";
import type { EntryUpdate, ProgressPayload } from "../_shared/progress.ts";
import { PROGRESS_EVENT } from "../_shared/progress.ts";

/** Entries per message: keeps one broadcast far below the 256 KB Free-plan payload limit. */
export const ENTRIES_PER_MESSAGE = 200;
/** Messages per REST call: a batch counts whole against the project's rate, so small ones get through sooner. */
const MESSAGES_PER_SEND = 10;
/** While refusals go on, at most this many entry updates wait; older ones are dropped (the page reads the rows). */
const MAX_WAITING_ENTRIES = 2_000;
const FIRST_PAUSE_MS = 250;
const LONGEST_PAUSE_MS = 4_000;
const GIVE_UP_MS = 60_000;

/** A send that failed with an HTTP status; 429 and 5xx are worth retrying, other refusals are not. */
export class BroadcastRefused extends Error {
  constructor(readonly status: number) {
    super(`broadcast failed with HTTP ${status}`);
  }
}

function retryable(error: unknown): boolean {
  return !(error instanceof BroadcastRefused) || error.status === 429 || error.status >= 500;
}

export interface OutboxOptions {
  log?: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export class BroadcastOutbox {
  #queue: BroadcastMessage[] = [];
  #draining: Promise<void> | null = null;
  readonly #log: (message: string) => void;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;

  constructor(private readonly send: Broadcaster, options: OutboxOptions = {}) {
    this.#log = options.log ?? console.error;
    this.#sleep = options.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms)));
    this.#now = options.now ?? Date.now;
  }

  /** Queues messages behind those already waiting; resolves once the queue has been emptied (sent or given up). */
  post(messages: BroadcastMessage[]): Promise<void> {
    this.#queue = coalesce([...this.#queue, ...messages]);
    this.#draining ??= this.#drain().finally(() => (this.#draining = null));
    return this.#draining;
  }

  /** Messages still waiting (for tests and logs). */
  get waiting(): number {
    return this.#queue.length;
  }

  async #drain(): Promise<void> {
    let refusedSince: number | null = null;
    let pause = FIRST_PAUSE_MS;
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MESSAGES_PER_SEND);
      try {
        await this.send(batch);
        if (refusedSince !== null) this.#log(`broadcasts get through again after ${this.#now() - refusedSince} ms`);
        refusedSince = null;
        pause = FIRST_PAUSE_MS;
      } catch (error) {
        if (!retryable(error)) {
          this.#log(`${(error as Error).message}; ${batch.length} message(s) dropped`);
          continue;
        }
        if (refusedSince === null) {
          refusedSince = this.#now();
          this.#log(`${(error as Error).message}; retrying with backoff`);
        } else if (this.#now() - refusedSince > GIVE_UP_MS) {
          this.#log(`${(error as Error).message} for ${GIVE_UP_MS / 1000} s; ${batch.length + this.#queue.length} message(s) given up`);
          this.#queue = [];
          return;
        }
        this.#queue = coalesce([...batch, ...this.#queue]);
        // Jitter, so several albums' jobs do not retry in step.
        await this.#sleep(pause * (0.75 + Math.random() / 2));
        pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
      }
    }
  }
}

/**
 * Merges each run of `progress` messages for one topic into as few as carry its entries (the last
 * message's counters are the newest), and keeps only the last of a run of `status` messages. Order
 * between runs is kept, so a final status still follows the progress before it.
 */
export function coalesce(messages: BroadcastMessage[]): BroadcastMessage[] {
  const out: BroadcastMessage[] = [];
  let run: BroadcastMessage[] = [];
  const flushRun = () => {
    if (run.length > 0) out.push(...mergeProgress(run));
    run = [];
  };
  for (const message of messages) {
    if (message.event === PROGRESS_EVENT) {
      if (run.length > 0 && run[0].topic !== message.topic) flushRun();
      run.push(message);
      continue;
    }
    flushRun();
    const previous = out.at(-1);
    if (previous && previous.event === message.event && previous.topic === message.topic) out[out.length - 1] = message;
    else out.push(message);
  }
  flushRun();
  return out;
}

function mergeProgress(run: BroadcastMessage[]): BroadcastMessage[] {
  if (run.length === 1) return run;
  const latest = run.at(-1)!;
  const byIdx = new Map<number, EntryUpdate>();
  for (const message of run) {
    for (const entry of (message.payload as ProgressPayload).entries) {
      byIdx.delete(entry.idx); // re-inserted last: the newest update of an entry wins, in arrival order
      byIdx.set(entry.idx, entry);
    }
  }
  const entries = [...byIdx.values()].slice(-MAX_WAITING_ENTRIES);
  const { entries: _, ...counters } = latest.payload as ProgressPayload;
  const merged: BroadcastMessage[] = [];
  for (let i = 0; i < entries.length || merged.length === 0; i += ENTRIES_PER_MESSAGE) {
    merged.push({ ...latest, payload: { ...counters, entries: entries.slice(i, i + ENTRIES_PER_MESSAGE) } });
  }
  return merged;
}
