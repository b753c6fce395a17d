// An `extracting` album whose worker died without recording `interrupted` (migration 20261127000200):
// once its job is evidently dead the same archive resumes it like an interrupted album; until then the
// request is refused before a byte is spooled, saying how long to wait.
import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { assertInvariant } from "./support/fakes.ts";
import { Harness, withHarness } from "./support/harness.ts";
import { buildZip, fakeJpeg } from "./support/zip-builder.ts";

const PHOTOS = 8;
const LOST = [3, 4, 5, 6, 7];

/** Uploads `zip`, then rewinds the album to what a worker killed mid-extraction leaves behind. */
async function albumLeftExtracting(h: Harness, zip: Uint8Array, staleIn: number): Promise<string> {
  const album = h.album();
  assertEquals((await h.post(album, zip)).status, 202);
  await h.settle();
  for (const row of h.rows(album).filter((r) => LOST.includes(r.idx))) {
    h.bucket.objects.delete(row.path!);
    Object.assign(row, { status: "pending", reason: null, reason_code: null, content_type: null });
  }
  Object.assign(h.store.albums.get(album)!, { status: "extracting", error: null, stale_in: staleIn });
  h.store.calls = [];
  return album;
}

const photos = () => buildZip(Array.from({ length: PHOTOS }, (_, i) => ({ name: `p${i}.jpg`, data: fakeJpeg(20_000, i), method: "deflate" as const })));

Deno.test("a live extracting album is refused at once, saying how far its extraction is", () =>
  withHarness(async (h) => {
    const zip = await photos();
    const album = await albumLeftExtracting(h, zip, 9 * 60 + 1);
    const counters = h.store.countersNow(album);
    const done = counters.uploaded + counters.skipped + counters.failed;
    const refused = await h.post(album, zip);
    assertEquals([refused.status, refused.body.code], [409, "extraction_running"]);
    assertEquals(refused.body.progress, { done, total: counters.total });
    assertEquals(refused.body.message,
      `This album is being imported right now (${done} of ${counters.total} files done). Watch its progress; drop the zip again only if it stops.`);
    assertEquals(h.store.calls, ["staleIn", "counters"], "refused before the archive is spooled or claimed");
    assertEquals(await h.spoolFiles(), []);
    assertEquals(h.store.albums.get(album)!.status, "extracting");
  }));

Deno.test("an extracting album whose job is dead resumes with the same archive only", () =>
  withHarness(async (h) => {
    const zip = await photos();
    const album = await albumLeftExtracting(h, zip, 0);

    const other = await buildZip([{ name: "other.jpg", data: fakeJpeg() }]);
    const refused = await h.post(album, other);
    assertEquals([refused.status, refused.body.code], [409, "different_archive"]);
    const notZip = await h.post(album, new TextEncoder().encode("not a zip at all"));
    assertEquals([notZip.status, notZip.body.code], [415, "not_zip"]);
    assertEquals(h.store.albums.get(album)!.status, "extracting", "a refused archive leaves the album resumable");
    assertEquals(h.store.calls.filter((c) => c.startsWith("status:")), [], "and writes no status over it");

    const before = h.bucket.uploads;
    const resumed = await h.post(album, zip);
    assertEquals(resumed.status, 202, JSON.stringify(resumed.body));
    await h.settle();
    assertInvariant(h.store, h.bucket, album);
    assertEquals(h.bucket.uploads - before, LOST.length, "only the entries the dead job left are extracted");
    assertEquals(h.store.albums.get(album)!.status, "ready");
    assertEquals(h.bucket.objects.size, PHOTOS);
    assertEquals(await h.spoolFiles(), []);
  }));

Deno.test("trouble after reclaiming a dead job leaves the album interrupted, not extracting", () =>
  withHarness(async (h) => {
    const zip = await photos();
    const album = await albumLeftExtracting(h, zip, 0);
    // The first store call after the claim: reading where the rows stand.
    h.store.counters = () => Promise.reject(new Error("database unavailable"));
    const response = await h.post(album, zip);
    assertEquals([response.status, response.body.code], [500, "internal"]);
    await h.settle();
    const row = h.store.albums.get(album)!;
    assertEquals(row.status, "interrupted");
    assertMatch(row.error!, /went wrong/);
    assert(h.store.calls.includes("claim"));
  }));
