// The bounded concurrency both extraction jobs (whole archive and one segment) run entries with.
import { AlbumGone } from "./deleted-album.ts";
import { CONCURRENCY, SMALL_ENTRY_BYTES, SMALL_ENTRY_CONCURRENCY } from "./entry-plan.ts";

/**
 * Entries being extracted, at most CONCURRENCY at a time (SMALL_ENTRY_CONCURRENCY while they are small);
 * an entry's failure is logged, never thrown.
 */
export class EntriesInFlight {
  readonly #tasks = new Set<Promise<void>>();

  /** `where` names the album (and segment) in log lines. */
  constructor(private readonly where: string, private readonly log: (message: string) => void) {}

  /** Starts one entry's work, then waits while as many entries as its size allows are in flight. */
  async start(idx: number, work: () => Promise<void>, bytes = Infinity): Promise<void> {
    const task: Promise<void> = work()
      // A deleted album is handled once nothing is in flight, not logged per entry.
      .catch((error) => void (error instanceof AlbumGone || this.log(`${this.where} entry ${idx}: ${(error as Error).message}`)))
      .finally(() => this.#tasks.delete(task));
    this.#tasks.add(task);
    const limit = bytes <= SMALL_ENTRY_BYTES ? SMALL_ENTRY_CONCURRENCY : CONCURRENCY;
    while (this.#tasks.size >= limit) await Promise.race(this.#tasks);
  }

  /** Resolves once every started entry has finished. */
  async drain(): Promise<void> {
    await Promise.all(this.#tasks);
  }
}
