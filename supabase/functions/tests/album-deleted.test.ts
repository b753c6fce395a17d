// An album deleted while its photos are being extracted (docs/architecture.md#deleting-an-album): the job
// learns at its next database write, stops scheduling, and removes every photo it stored, so that what
// the deleting side removes (the photos recorded before the mark) and what the job removes leave nothing.
import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { OWNER, withHarness } from "./support/harness.ts";
import { buildZip, fakeJpeg } from "./support/zip-builder.ts";

const PHOTOS = 40;

const archive = () => buildZip(Array.from({ length: PHOTOS }, (_, i) => ({ name: `p${i}.jpg`, data: fakeJpeg(5_000, i) })));

Deno.test("a job whose album is marked for deletion stops and removes every photo it stored", () =>
  withHarness(async (h) => {
    const album = h.album();
    let uploads = 0;
    // Marked while the first photo is uploading: the job's first result write (which goes out at once)
    // is refused, and nothing is scheduled after it.
    h.bucket.failFor = () => {
      if (++uploads === 1) h.store.albums.get(album)!.deleting = true;
      return null;
    };
    assertEquals((await h.post(album, await archive())).status, 202);
    await h.settle();
    assert(uploads < PHOTOS / 2, `the job stopped scheduling (${uploads} uploads of ${PHOTOS})`);
    const prefix = `${OWNER}/${album}/`;
    assertEquals([...h.bucket.objects.keys()].filter((k) => k.startsWith(prefix)), [], "nothing of the album is left in Storage");
    assertEquals(h.bucket.removed.length, uploads, "the job removed every photo it stored");
    assertMatch(h.logs.join("\n"), new RegExp(`album ${album} was deleted during its extraction: stopped, and removed the \\d+ photos`));
    assert(!h.logs.some((line) => /Cannot read properties/.test(line)), h.logs.join("\n"));
    assertEquals(await h.spoolFiles(), [], "the spooled archive is removed");
    assertEquals(h.jobs.size, 0);
  }));

Deno.test("a job whose album row is gone stops with a clear log line instead of crashing", () =>
  withHarness(async (h) => {
    const album = h.album();
    let uploads = 0;
    h.bucket.failFor = () => {
      if (++uploads === 3) h.store.albums.delete(album);
      return null;
    };
    assertEquals((await h.post(album, await archive())).status, 202);
    await h.settle();
    assertEquals([...h.bucket.objects.keys()].filter((k) => k.includes(album)), []);
    assertMatch(h.logs.join("\n"), new RegExp(`album ${album} was deleted during its extraction`));
    assertEquals(await h.spoolFiles(), []);
  }));

Deno.test("an interrupt of a job whose album is being deleted removes its photos instead of marking it resumable", () =>
  withHarness(async (h) => {
    const album = h.album();
    let uploads = 0;
    h.bucket.failFor = () => {
      if (++uploads === 4) {
        h.store.albums.get(album)!.deleting = true;
        h.jobs.get(album)!.interrupt("The server ran out of time for this upload.").catch((e) => h.logs.push(`interrupt threw: ${e}`));
      }
      return null;
    };
    assertEquals((await h.post(album, await archive())).status, 202);
    await h.settle();
    assertEquals([...h.bucket.objects.keys()].filter((k) => k.includes(album)), []);
    assert(!h.logs.some((line) => line.startsWith("interrupt threw")), h.logs.join("\n"));
    assert(h.store.albums.get(album)!.status !== "interrupted", "a deleted album is not offered for resuming");
  }));
