import { assertEquals } from "./support/assert.ts";
import { EntriesInFlight } from "../album-upload/entries-in-flight.ts";
import { CONCURRENCY, SMALL_ENTRY_BYTES, SMALL_ENTRY_CONCURRENCY } from "../album-upload/entry-plan.ts";

/** Starts `sizes` in order and records the most entries ever in flight while each size was starting. */
async function mostInFlight(sizes: number[]): Promise<number[]> {
  const inFlight = new EntriesInFlight("test", () => {});
  let running = 0;
  const most: number[] = [];
  for (const [idx, size] of sizes.entries()) {
    await inFlight.start(idx, async () => {
      running++;
      most[idx] = running;
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
    }, size);
  }
  await inFlight.drain();
  return most;
}

Deno.test("small entries run SMALL_ENTRY_CONCURRENCY at a time, large ones CONCURRENCY once the small ones before them are done", async () => {
  const small = Array(20).fill(SMALL_ENTRY_BYTES);
  const large = Array(6).fill(SMALL_ENTRY_BYTES + 1);
  const most = await mostInFlight([...small, ...large]);
  assertEquals(Math.max(...most.slice(0, 20)), SMALL_ENTRY_CONCURRENCY);
  // The first large entry joins the small ones still running; the next waits until fewer than
  // CONCURRENCY are left, and from then on no more than CONCURRENCY run.
  assertEquals(most[20] <= SMALL_ENTRY_CONCURRENCY, true);
  assertEquals(Math.max(...most.slice(21)), CONCURRENCY);
  // Without a size (the default), an entry counts as large.
  assertEquals(Math.max(...await mostInFlight(Array(6).fill(undefined))), CONCURRENCY);
});
