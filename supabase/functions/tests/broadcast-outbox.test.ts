// The outbox between the progress reporter and Realtime's REST broadcast: refusals are retried with
// growing pauses, what queues meanwhile is merged, order is kept, and nothing waits forever.
import { assert, assertEquals } from "./support/assert.ts";
import { BroadcastOutbox, BroadcastRefused, coalesce } from "../album-upload/broadcast-outbox.ts";
import type { BroadcastMessage } from "../album-upload/progress-reporter.ts";
import type { EntryUpdate } from "../_shared/progress.ts";

const TOPIC = "album:1";
const counters = (uploaded: number) => ({ total: 10, uploaded, skipped: 0, failed: 0, bytesDone: uploaded, bytesTotal: 10, status: "extracting" as const });
const entry = (idx: number, status: EntryUpdate["status"] = "uploaded"): EntryUpdate => ({ idx, name: `${idx}.jpg`, size: 1, status });
const progress = (uploaded: number, ...entries: EntryUpdate[]): BroadcastMessage => ({
  topic: TOPIC, event: "progress", payload: { ...counters(uploaded), entries }, private: true,
});
const status = (value: "ready" | "extracting"): BroadcastMessage => ({ topic: TOPIC, event: "status", payload: { status: value, error: null }, private: true });

/** A Realtime that answers each send from a script of statuses (202 = delivered), recording what it got. */
function realtime(script: number[]) {
  const delivered: BroadcastMessage[][] = [];
  let calls = 0;
  const send = (messages: BroadcastMessage[]) => {
    const answer = script[calls++] ?? 202;
    if (answer !== 202) return Promise.reject(new BroadcastRefused(answer));
    delivered.push(messages);
    return Promise.resolve();
  };
  return { send, delivered, calls: () => calls };
}

Deno.test("a refused broadcast is retried with growing pauses and arrives, merged with what queued meanwhile", async () => {
  const server = realtime([429, 429, 429]);
  const pauses: number[] = [];
  let release: () => void = () => {};
  const outbox = new BroadcastOutbox(server.send, {
    log: () => {},
    sleep: (ms) => {
      pauses.push(ms);
      return pauses.length === 1 ? new Promise<void>((done) => (release = done)) : Promise.resolve();
    },
  });
  const first = outbox.post([progress(1, entry(0))]);
  // While the first send waits out its pause, two more batches and the final status queue up.
  await Promise.resolve();
  void outbox.post([progress(2, entry(1))]);
  void outbox.post([progress(3, entry(2), entry(0, "failed"))]);
  void outbox.post([status("ready")]);
  release();
  await first;

  assertEquals(server.calls(), 4, "three refusals, then one delivery");
  assert(pauses[1] > pauses[0] && pauses[2] > pauses[1], `pauses grow: ${pauses.map(Math.round).join(", ")}`);
  assertEquals(server.delivered.length, 1);
  const [merged, final] = server.delivered[0];
  assertEquals(merged.event, "progress");
  assertEquals((merged.payload as { uploaded: number }).uploaded, 3, "the newest counters");
  assertEquals((merged.payload as { entries: EntryUpdate[] }).entries.map((e) => [e.idx, e.status]), [[1, "uploaded"], [2, "uploaded"], [0, "failed"]]);
  assertEquals(final, status("ready"), "the status still follows the progress before it");
});

Deno.test("a refusal that retrying cannot cure drops that batch only", async () => {
  const server = realtime([401]);
  const logged: string[] = [];
  const outbox = new BroadcastOutbox(server.send, { log: (line) => logged.push(line), sleep: () => Promise.resolve() });
  await outbox.post([status("extracting")]);
  await outbox.post([progress(1, entry(0))]);
  assertEquals(server.delivered, [[progress(1, entry(0))]]);
  assert(logged.some((line) => line.includes("HTTP 401") && line.includes("dropped")), logged.join("\n"));
});

Deno.test("after a minute of refusals the outbox gives up, so a job never waits on Realtime forever", async () => {
  const server = realtime(Array(1000).fill(429));
  let clock = 0;
  const logged: string[] = [];
  const outbox = new BroadcastOutbox(server.send, {
    log: (line) => logged.push(line),
    now: () => clock,
    sleep: (ms) => {
      clock += ms;
      return Promise.resolve();
    },
  });
  await outbox.post([progress(1, entry(0)), status("ready")]);
  assertEquals(server.delivered, []);
  assertEquals(outbox.waiting, 0);
  assert(clock >= 60_000 && clock < 70_000, `gave up after ${clock} ms`);
  assert(logged.some((line) => line.includes("given up")), logged.join("\n"));
});

Deno.test("a long backlog keeps its newest entries in messages of at most 200", () => {
  const backlog = Array.from({ length: 3000 }, (_, n) => progress(n + 1, entry(n)));
  const merged = coalesce(backlog);
  assertEquals(merged.length, 10, "2,000 entries in messages of 200");
  const entries = merged.flatMap((m) => (m.payload as { entries: EntryUpdate[] }).entries.map((e) => e.idx));
  assertEquals(entries[0], 1000);
  assertEquals(entries.at(-1), 2999);
  assert(merged.every((m) => (m.payload as { uploaded: number }).uploaded === 3000), "every message carries the newest counters");
});
