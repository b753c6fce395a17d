/**
 * Upload progress over every segment of one archive: bytes the server holds or that are on the wire,
 * speed over the last seconds, and a time left that never sits frozen. Sampled on a clock as well as
 * on progress events, so a connection that stops moving shows its speed fall to unknown instead of
 * the last hopeful estimate ("94 % · 4 s left" for minutes). Pure; see transfer-meter.test.ts.
 */
import { RateMeter } from "@/lib/rate-meter";

export type TransferProgress = {
  /** Bytes of the archive the server already has, plus those sent so far of the parts in flight. */
  sent: number;
  total: number;
  /** Bytes per second over the last seconds; 0 while unknown or stalled. */
  speed: number;
  /** Seconds left at the current speed; null while the speed is unknown. */
  etaSeconds: number | null;
  partsDone: number;
  partsTotal: number;
  /** Every part in flight has sent its last byte and waits for the server's answer. */
  awaitingServer: boolean;
};

export class TransferMeter {
  private readonly meter: RateMeter;
  private readonly inFlight = new Map<number, { loaded: number; length: number }>();
  private doneBytes: number;
  private partsDone: number;
  /** Every byte put on the wire in this run, never decreasing, so a resent part cannot read as negative speed. */
  private wireBytes = 0;

  constructor(
    private readonly total: number,
    private readonly partsTotal: number,
    already: { bytes: number; parts: number } = { bytes: 0, parts: 0 },
    windowMs = 5_000,
  ) {
    this.meter = new RateMeter(windowMs);
    this.doneBytes = already.bytes;
    this.partsDone = already.parts;
  }

  /** A part's request is about to send its `length` bytes. */
  start(part: number, length: number): void {
    this.inFlight.set(part, { loaded: 0, length });
  }

  /** A part's request reported `loaded` bytes of its body sent. */
  progress(part: number, loaded: number, now: number): void {
    const flight = this.inFlight.get(part);
    if (!flight) return;
    if (loaded > flight.loaded) this.wireBytes += loaded - flight.loaded;
    flight.loaded = Math.min(loaded, flight.length);
    this.meter.add(this.wireBytes, now);
  }

  /** The server took the part (or already had it). */
  finished(part: number, length: number): void {
    this.inFlight.delete(part);
    this.doneBytes += length;
    this.partsDone++;
  }

  /** The part's request failed; its bytes will be sent again. */
  failed(part: number): void {
    this.inFlight.delete(part);
  }

  /** Samples the clock with no new bytes, so a stalled connection's speed decays to 0. */
  tick(now: number): void {
    this.meter.add(this.wireBytes, now);
  }

  snapshot(): TransferProgress {
    let flying = 0;
    let allSent = this.inFlight.size > 0;
    for (const { loaded, length } of this.inFlight.values()) {
      flying += loaded;
      if (loaded < length) allSent = false;
    }
    const sent = Math.min(this.total, this.doneBytes + flying);
    const speed = this.meter.rate();
    const remaining = this.total - sent;
    return {
      sent,
      total: this.total,
      speed,
      etaSeconds: remaining <= 0 ? 0 : speed > 0 ? remaining / speed : null,
      partsDone: this.partsDone,
      partsTotal: this.partsTotal,
      awaitingServer: allSent,
    };
  }

  /** The recent upload rate (bytes/s), 0 while unknown. */
  rate(): number {
    return this.meter.rate();
  }
}
