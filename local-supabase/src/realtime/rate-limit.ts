/**
 * The project's events-per-second counter (docs/supabase-behaviour.md#realtime-limits): every message a client sends and every message
 * delivered to a subscriber counts once. A sliding one-second window in ten buckets keeps the count
 * close to "the last second" without storing each event.
 */
const BUCKETS = 10;
const WINDOW_MS = 1_000;
const BUCKET_MS = WINDOW_MS / BUCKETS;

export class RateCounter {
  private readonly counts = new Array<number>(BUCKETS).fill(0);
  private lastBucket = 0;

  constructor(
    readonly limit: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Events counted in the last second. */
  current(): number {
    this.advance();
    return this.counts.reduce((sum, count) => sum + count, 0);
  }

  /** Counts `n` events if they fit under the limit; false (and nothing counted) when they do not. */
  tryAdd(n = 1): boolean {
    if (this.current() + n > this.limit) return false;
    this.add(n);
    return true;
  }

  /** Counts `n` events whatever the limit (work already admitted, e.g. a REST batch being sent). */
  add(n = 1): void {
    this.advance();
    this.counts[this.lastBucket % BUCKETS] += n;
  }

  private advance(): void {
    const bucket = Math.floor(this.now() / BUCKET_MS);
    if (bucket - this.lastBucket >= BUCKETS) this.counts.fill(0);
    else for (let b = this.lastBucket + 1; b <= bucket; b++) this.counts[b % BUCKETS] = 0;
    this.lastBucket = Math.max(this.lastBucket, bucket);
  }
}
