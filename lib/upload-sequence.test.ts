import { test } from "node:test";
import assert from "node:assert/strict";
import { UploadCancelled, UploadError } from "./upload-error.ts";
import type { PlannedSegment } from "./upload-protocol.ts";
import { inFlightFor, runUploadSequence, type ArchivePlan, type SegmentRequest, type SequenceDeps, type UploadClient } from "./upload-sequence.ts";
import type { TransferProgress } from "./transfer-meter.ts";

const MB = 1024 * 1024;
const DIRECTORY_AT = 40 * MB;

/** A 40 MB archive (plus its directory) planned as `count` equal segments. */
function planOf(count: number, done: number[] = []): ArchivePlan {
  const size = DIRECTORY_AT / count;
  const segments: PlannedSegment[] = Array.from({ length: count }, (_, index) => ({
    index, start: Math.floor(index * size), end: Math.floor((index + 1) * size), entries: 10, status: done.includes(index) ? "done" : "pending",
  }));
  return { album: "album-1", archive: "archive-1", fingerprint: "f", resumed: done.length > 0, entries: count * 10, photos: count * 10, skipped: 0, failed: 0, folders: 0, segments };
}

const archive = () => Object.assign(new Blob([new Uint8Array(DIRECTORY_AT + 1000)]), { name: "trip.zip" });

/** A fake function: records every request; `answer` decides each segment attempt's fate. */
class FakeFunction implements UploadClient {
  directoryRequests: { tailBytes: number; uploadRate?: number }[] = [];
  attempts: number[] = [];
  inFlight = 0;
  mostInFlight = 0;
  /** How many requests were in flight as each one started (itself included). */
  startedWith: number[] = [];
  constructor(
    private readonly plan: ArchivePlan,
    private readonly answer: (segment: PlannedSegment, attempt: number, request: SegmentRequest) => Promise<void> = async () => {},
  ) {}

  async sendDirectory(request: { tail: Blob; uploadRate?: number }): Promise<ArchivePlan> {
    this.directoryRequests.push({ tailBytes: request.tail.size, uploadRate: request.uploadRate });
    return this.plan;
  }

  async sendSegment(request: SegmentRequest): Promise<void> {
    assert.equal(request.body.size, request.segment.end - request.segment.start, "the body is exactly the planned range");
    const attempt = this.attempts.filter((i) => i === request.segment.index).length + 1;
    this.attempts.push(request.segment.index);
    this.inFlight++;
    this.startedWith.push(this.inFlight);
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    try {
      await new Promise((resolve) => setImmediate(resolve));
      if (request.signal.aborted) throw new UploadCancelled();
      await this.answer(request.segment, attempt, request);
      request.onSent(request.body.size);
    } finally {
      this.inFlight--;
    }
  }
}

/** Deps with a clock that moves only when the sequence sleeps, and a recorded list of those sleeps. */
function fakeDeps(client: UploadClient) {
  const clock = { now: 0 };
  const sleeps: number[] = [];
  const ticks: (() => void)[] = [];
  const deps: SequenceDeps = {
    client,
    locateDirectory: async () => DIRECTORY_AT,
    now: () => clock.now,
    sleep: async (ms, signal) => {
      sleeps.push(ms);
      clock.now += ms;
      if (signal.aborted) throw new UploadCancelled();
    },
    every: (_ms, tick) => {
      ticks.push(tick);
      return () => ticks.splice(ticks.indexOf(tick), 1);
    },
    random: () => 1,
  };
  return { deps, clock, sleeps, ticks };
}

type RunExtra = { signal?: AbortSignal; knownRate?: number; assumedRate?: number; onProgress?: (p: TransferProgress) => void };
const run = (client: UploadClient, deps: SequenceDeps, extra: RunExtra = {}) =>
  runUploadSequence({
    file: archive(), albumId: "album-1", signal: extra.signal ?? new AbortController().signal,
    knownRate: extra.knownRate, assumedRate: extra.assumedRate, onProgress: extra.onProgress ?? (() => {}),
  }, deps);

test("the directory request carries only the tail; every segment is sent once, a few at a time", async () => {
  const client = new FakeFunction(planOf(10));
  const { deps } = fakeDeps(client);
  const result = await run(client, deps);
  assert.deepEqual(client.directoryRequests.map((r) => r.tailBytes), [1000]);
  assert.deepEqual([...client.attempts].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(client.mostInFlight, 3, "as many in flight as the plan's /tmp share assumes");
  assert.equal(result.sent, 10);
});

test("a resume sends only the segments the plan does not list as done", async () => {
  const client = new FakeFunction(planOf(6, [0, 1, 4]));
  const { deps } = fakeDeps(client);
  const progress: TransferProgress[] = [];
  await run(client, deps, { onProgress: (p) => progress.push(p) });
  assert.deepEqual([...client.attempts].sort(), [2, 3, 5]);
  assert.equal(progress[0].partsDone, 3, "parts already received count as done from the start");
  const segments = planOf(6).segments;
  const doneBytes = [0, 1, 4].reduce((sum, i) => sum + segments[i].end - segments[i].start, 0);
  assert.equal(progress[0].sent, doneBytes + 1000, "their bytes too (the directory's as well)");
  assert.deepEqual({ sent: progress.at(-1)!.sent, partsDone: progress.at(-1)!.partsDone }, { sent: DIRECTORY_AT + 1000, partsDone: 6 });
});

test("lost connections, 5xx, 546 and a leased segment are retried with growing waits; a finished segment is never sent again", async () => {
  const failures: Record<number, UploadError[]> = {
    1: [new UploadError("network"), new UploadError("worker_limit")],
    2: [new UploadError("internal"), new UploadError("tmp_full")],
    3: [new UploadError("segment_busy", { retryAfterSeconds: 30 })],
  };
  const client = new FakeFunction(planOf(4), async (segment, attempt) => {
    const failure = failures[segment.index]?.[attempt - 1];
    if (failure) throw failure;
  });
  const { deps, sleeps } = fakeDeps(client);
  await run(client, deps);
  assert.deepEqual(client.attempts.filter((i) => i === 1).length, 3);
  assert.deepEqual(client.attempts.filter((i) => i === 2).length, 3);
  assert.deepEqual(client.attempts.filter((i) => i === 3).length, 2);
  assert.deepEqual(client.attempts.filter((i) => i === 0).length, 1, "a segment that went through was sent once");
  assert.deepEqual(sleeps.sort((a, b) => a - b), [1000, 1000, 2000, 2000, 30_000], "a leased segment waits as long as the server says");
});

test("a refusal of the archive is not retried and stops the other segments", async () => {
  const client = new FakeFunction(planOf(8), async (segment) => {
    if (segment.index === 1) throw new UploadError("segment_unknown");
    await new Promise((resolve) => setTimeout(resolve, 5));
  });
  const { deps } = fakeDeps(client);
  await assert.rejects(run(client, deps), (error: UploadError) => error.code === "segment_unknown");
  assert.equal(client.attempts.filter((i) => i === 1).length, 1);
  assert.ok(client.attempts.length < 8, `no new segment starts after the refusal (${client.attempts.length} sent)`);
});

test("retrying stops after a few minutes of failures, with the last error", async () => {
  const client = new FakeFunction(planOf(2), async () => {
    throw new UploadError("network");
  });
  const { deps } = fakeDeps(client);
  await assert.rejects(run(client, deps), (error: UploadError) => error.code === "network");
  assert.ok(client.attempts.length > 4, "it did keep trying for a while");
});

test("Cancel aborts every request in flight and sends nothing more", async () => {
  const controller = new AbortController();
  const seen: AbortSignal[] = [];
  const client = new FakeFunction(planOf(8), async (_segment, _attempt, request) => {
    seen.push(request.signal);
    if (seen.length === 2) controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (request.signal.aborted) throw new UploadCancelled();
  });
  const { deps } = fakeDeps(client);
  await assert.rejects(run(client, deps, { signal: controller.signal }), UploadCancelled);
  assert.ok(seen.every((signal) => signal.aborted), "every request saw the abort");
  assert.ok(client.attempts.length <= 4, `nothing was sent after Cancel (${client.attempts.length})`);
});

test("the plan is asked for a per-request rate: the measured rate shared by the requests in flight", async () => {
  const client = new FakeFunction(planOf(2));
  const { deps } = fakeDeps(client);
  await run(client, deps, { knownRate: 12 * MB });
  assert.equal(client.directoryRequests[0].uploadRate, 4 * MB);
});

test("fewer requests fly when the connection is slower than the plan assumed", () => {
  assert.equal(inFlightFor(0, 1 * MB, 3), 3, "unknown rate: the plan's assumption stands");
  assert.equal(inFlightFor(12 * MB, 4 * MB, 3), 3);
  assert.equal(inFlightFor(5 * MB, 2 * MB, 3), 2);
  assert.equal(inFlightFor(1 * MB, 4 * MB, 3), 1, "never fewer than one");
});

test("once the connection proves slower than the plan assumed, segments go one at a time", async () => {
  let clock: { now: number } = { now: 0 };
  const client = new FakeFunction(planOf(8), async (_segment, _attempt, request) => {
    clock.now += 1000; // every segment (5 MB) takes a second: 5 MB/s in all, the plan assumed 10 MB/s each
    request.onSent(request.body.size);
  });
  const fake = fakeDeps(client);
  clock = fake.clock;
  await run(client, fake.deps, { assumedRate: 10 * MB });
  assert.deepEqual(client.startedWith.slice(0, 3), [1, 2, 3], "the first ones go as the plan's share allows");
  assert.deepEqual(client.startedWith.slice(4), [1, 1, 1, 1], "then one at a time, each with the whole connection");
});

test("the speed falls to unknown when the connection stops moving, so the time left is never a stale guess", async () => {
  let release = () => {};
  let sending: SegmentRequest | undefined;
  const client = new FakeFunction(planOf(1), async (_segment, _attempt, request) => {
    sending = request;
    await new Promise<void>((resolve) => (release = resolve));
  });
  const { deps, clock, ticks } = fakeDeps(client);
  const progress: TransferProgress[] = [];
  const running = run(client, deps, { onProgress: (p) => progress.push(p) });
  while (!sending) await new Promise((resolve) => setImmediate(resolve));
  for (let t = 0; t <= 2000; t += 250) {
    clock.now = t;
    sending.onSent((t / 1000) * 2 * MB); // 2 MB/s for two seconds
  }
  ticks[0]();
  const moving = progress.at(-1)!;
  assert.equal(moving.speed, 2 * MB);
  assert.equal(moving.etaSeconds, (DIRECTORY_AT - 4 * MB) / (2 * MB), "the directory is already sent");
  for (let t = 2250; t <= 8000; t += 250) {
    clock.now = t;
    ticks[0]();
  }
  const stalled = progress.at(-1)!;
  assert.equal(stalled.sent, 4 * MB + 1000, "bytes sent stay counted");
  assert.equal(stalled.speed, 0);
  assert.equal(stalled.etaSeconds, null);
  release();
  await running;
});
