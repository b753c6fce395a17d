/**
 * One archive's upload, as the album-upload function's segmented protocol wants it: the directory
 * request (the archive's tail) answers with a plan of byte ranges; every range not yet done is sent
 * as its own request, a few at a time, each retried on a failure that sending again can fix, and none
 * sent again once the server has it. A resume is the same sequence: the plan says which ranges are
 * done. No React, no browser globals: every effect goes through `deps`; see upload-sequence.test.ts.
 */
import { PROGRESS_INTERVAL_MS } from "@/lib/progress";
import { TransferMeter, type TransferProgress } from "@/lib/transfer-meter";
import { UploadCancelled, UploadError } from "@/lib/upload-error";
import { isRetryable, RETRY_FOR_MS, retryDelayMs } from "@/lib/upload-retry";
import { SEGMENTS_IN_FLIGHT, type DirectoryAnswer, type PlannedSegment } from "@/lib/upload-protocol";

export type ArchivePlan = DirectoryAnswer;

export type DirectoryRequest = {
  albumId: string;
  /** The archive from the start of its central directory to its end. */
  tail: Blob;
  archiveSize: number;
  archiveName: string;
  /** Bytes per second one segment request can count on, when measured. */
  uploadRate?: number;
  signal: AbortSignal;
};

export type SegmentRequest = {
  albumId: string;
  archiveId: string;
  segment: PlannedSegment;
  body: Blob;
  signal: AbortSignal;
  onSent(loaded: number): void;
};

/** The function, over HTTP in the app (upload-client.ts), faked in tests. */
export interface UploadClient {
  sendDirectory(request: DirectoryRequest): Promise<ArchivePlan>;
  /** Resolves once the server holds the segment: accepted now, or done by an earlier request. */
  sendSegment(request: SegmentRequest): Promise<void>;
}

export type SequenceDeps = {
  client: UploadClient;
  /** Where the archive's central directory starts (reads only the file's last bytes). */
  locateDirectory(file: Blob): Promise<number>;
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Calls `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
  random?: () => number;
};

export type SequenceOptions = {
  file: Blob & { name: string };
  albumId: string;
  signal: AbortSignal;
  /** The whole connection's upload rate measured earlier (bytes/s), if any. */
  knownRate?: number;
  /** The per-request rate the function assumes when told none (its published `assumedUploadRate`). */
  assumedRate?: number;
  /** Most segment requests in flight at once (the plan's /tmp share assumes SEGMENTS_IN_FLIGHT). */
  maxInFlight?: number;
  onPlan?(plan: ArchivePlan): void;
  onProgress(progress: TransferProgress): void;
};

export type SequenceResult = {
  plan: ArchivePlan;
  /** Segments this run sent (the rest the server already had). */
  sent: number;
  /** The connection's upload rate measured while sending (bytes/s), 0 when nothing was sent. */
  rate: number;
};

/**
 * How many segments may be in flight when the connection carries `rate` bytes/s and each request was
 * planned for `perRequest`: parallel requests share the connection, and a request slower than its plan
 * could outlive its worker's wall clock. Never fewer than one.
 */
export function inFlightFor(rate: number, perRequest: number | undefined, max: number): number {
  if (!(rate > 0) || !(perRequest && perRequest > 0)) return max;
  return Math.max(1, Math.min(max, Math.floor(rate / perRequest)));
}

export async function runUploadSequence(options: SequenceOptions, deps: SequenceDeps): Promise<SequenceResult> {
  const { file, albumId, signal } = options;
  const maxInFlight = Math.min(SEGMENTS_IN_FLIGHT, Math.max(1, options.maxInFlight ?? SEGMENTS_IN_FLIGHT));
  if (signal.aborted) throw new UploadCancelled();
  const start = await deps.locateDirectory(file);
  // Parallel requests share the connection: each can count on its share of the measured rate.
  const perRequest = options.knownRate ? options.knownRate / maxInFlight : undefined;
  const plan = await deps.client.sendDirectory({
    albumId, tail: file.slice(start), archiveSize: file.size, archiveName: file.name, uploadRate: perRequest, signal,
  });
  if (signal.aborted) throw new UploadCancelled();
  options.onPlan?.(plan);

  // `busy` ones too: a live worker holds them, and the function says when to send them again.
  const missing = plan.segments.filter((s) => s.status !== "done");
  const done = plan.segments.filter((s) => s.status === "done");
  const meter = new TransferMeter(file.size, plan.segments.length, {
    bytes: file.size - missing.reduce((sum, s) => sum + (s.end - s.start), 0),
    parts: done.length,
  });
  const report = () => options.onProgress(meter.snapshot());
  const stopTicking = deps.every(PROGRESS_INTERVAL_MS, () => {
    meter.tick(deps.now());
    report();
  });
  // One failure that sending again cannot fix stops the others: the archive itself was refused.
  const stop = new AbortController();
  const cancel = () => stop.abort();
  signal.addEventListener("abort", cancel, { once: true });
  try {
    report();
    await sendAll(missing, maxInFlight, () => inFlightFor(meter.rate(), perRequest ?? options.assumedRate, maxInFlight), (segment) =>
      sendSegment(segment, { albumId, archiveId: plan.archive, file, meter, signal: stop.signal, deps }).then(report),
    );
    return { plan, sent: missing.length, rate: meter.rate() };
  } catch (error) {
    stop.abort();
    throw signal.aborted ? new UploadCancelled() : error;
  } finally {
    signal.removeEventListener("abort", cancel);
    stopTicking();
    report();
  }
}

/** Runs `send` over every segment, in order, with at most `allowed()` in flight. */
async function sendAll(segments: PlannedSegment[], max: number, allowed: () => number, send: (s: PlannedSegment) => Promise<void>) {
  const running = new Set<Promise<void>>();
  let failure: unknown = null;
  let next = 0;
  while ((next < segments.length && failure === null) || running.size > 0) {
    while (failure === null && next < segments.length && running.size < Math.min(max, allowed())) {
      const task: Promise<void> = send(segments[next++]).then(
        () => void running.delete(task),
        (error: unknown) => {
          running.delete(task);
          failure ??= error;
        },
      );
      running.add(task);
    }
    await Promise.race(running);
  }
  if (failure !== null) throw failure;
}

type SegmentContext = {
  albumId: string;
  archiveId: string;
  file: Blob;
  meter: TransferMeter;
  signal: AbortSignal;
  deps: SequenceDeps;
};

async function sendSegment(segment: PlannedSegment, { albumId, archiveId, file, meter, signal, deps }: SegmentContext): Promise<void> {
  const length = segment.end - segment.start;
  let firstFailureAt: number | null = null;
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) throw new UploadCancelled();
    meter.start(segment.index, length);
    try {
      await deps.client.sendSegment({
        albumId, archiveId, segment, body: file.slice(segment.start, segment.end), signal,
        onSent: (loaded) => meter.progress(segment.index, loaded, deps.now()),
      });
      meter.finished(segment.index, length);
      return;
    } catch (error) {
      meter.failed(segment.index);
      if (signal.aborted || error instanceof UploadCancelled) throw new UploadCancelled();
      firstFailureAt ??= deps.now();
      if (!isRetryable(error) || deps.now() - firstFailureAt > RETRY_FOR_MS) throw asUploadError(error);
      await deps.sleep(retryDelayMs(error, attempt, deps.random), signal);
    }
  }
}

function asUploadError(error: unknown): UploadError {
  return error instanceof UploadError ? error : new UploadError("internal", { message: (error as Error)?.message ?? String(error) });
}
