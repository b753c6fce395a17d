/**
 * Upload speed over a sliding window. The browser reports progress in bursts (and the first seconds
 * fill OS buffers), so an average since the start, or between two events, jumps about; a few seconds
 * of window gives a steady speed and ETA.
 */
export class RateMeter {
  private samples: { at: number; bytes: number }[] = [];

  constructor(private readonly windowMs = 5000) {}

  /** Records the cumulative byte count at a time in ms; returns bytes per second (0 until known). */
  add(bytes: number, at: number): number {
    this.samples.push({ at, bytes });
    while (this.samples.length > 2 && at - this.samples[0].at > this.windowMs) this.samples.shift();
    return this.rate();
  }

  rate(): number {
    if (this.samples.length < 2) return 0;
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const seconds = (last.at - first.at) / 1000;
    return seconds > 0 ? Math.max(0, (last.bytes - first.bytes) / seconds) : 0;
  }
}
