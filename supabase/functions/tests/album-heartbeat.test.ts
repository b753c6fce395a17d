// The running job's sign of life: the album is written on a timer while the work is pending, and no
// more once it has settled, whether it succeeded or failed.
import { assert, assertEquals } from "./support/assert.ts";
import { whileBeating } from "../album-upload/album-heartbeat.ts";

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function recordingStore() {
  const beats: string[] = [];
  return { beats, heartbeat: (albumId: string) => (beats.push(albumId), Promise.resolve(true)) };
}

Deno.test("the album is written every interval while the work runs, and not after", async () => {
  const store = recordingStore();
  const result = await whileBeating(store, "album-1", sleep(130).then(() => "done"), 20);
  assertEquals(result, "done");
  assert(store.beats.length >= 4, `${store.beats.length} beats in 130 ms at 20 ms`);
  assert(store.beats.every((id) => id === "album-1"));
  const after = store.beats.length;
  await sleep(80);
  assertEquals(store.beats.length, after, "no beat once the work has settled");
});

Deno.test("a failing heartbeat write is only a missed beat, and failed work still stops the beating", async () => {
  let calls = 0;
  const failing = { heartbeat: () => (calls++, Promise.reject(new Error("database unavailable"))) };
  const work = sleep(70).then(() => Promise.reject(new Error("extraction stopped")));
  let failure: Error | null = null;
  await whileBeating(failing, "album-1", work, 20).catch((error) => (failure = error as Error));
  assertEquals((failure as Error | null)?.message, "extraction stopped");
  const after = calls;
  assert(after >= 2, `${after} attempts`);
  await sleep(60);
  assertEquals(calls, after);
});
