// The handler and background job end to end, with real zip.js over real spooled files and in-memory
// database, Storage and Realtime. Every test checks the invariant of docs/architecture.md#nothing-is-lost-silently.
import { assert, assertEquals, assertMatch } from "./support/assert.ts";
import { assertInvariant } from "./support/fakes.ts";
import { Harness, OWNER, STRANGER, withHarness } from "./support/harness.ts";
import { buildZip, fakeJpeg, fakePng, text } from "./support/zip-builder.ts";
import { albumChannel, PROGRESS_INTERVAL_MS, type ProgressPayload, type StatusPayload } from "../_shared/progress.ts";

const MB = 1024 * 1024;

async function uploadAndSettle(h: Harness, zip: Uint8Array, album = h.album()) {
  const response = await h.post(album, zip);
  await h.settle();
  assertInvariant(h.store, h.bucket, album);
  assertEquals(await h.spoolFiles(), [], "the spooled archive is removed");
  return { album, response, albumRow: h.store.albums.get(album)! };
}

Deno.test("stored, deflated, zip64, data-descriptor and unicode entries arrive byte for byte", () =>
  withHarness(async (h) => {
    const photos = {
      "a.jpg": { data: fakeJpeg(300_000, 1) },
      "b.png": { data: fakePng(50_000), method: "deflate" as const },
      "c.jpg": { data: fakeJpeg(70_000, 3), method: "deflate" as const, dataDescriptor: true },
      "d.jpg": { data: fakeJpeg(10_000, 4), zip64: true },
      "Été/crème brûlée.jpg": { data: fakeJpeg(5_000, 5), method: "deflate" as const },
    };
    const zip = await buildZip(Object.entries(photos).map(([name, spec]) => ({ name, ...spec })), { zip64: true });
    const { album, response, albumRow } = await uploadAndSettle(h, zip);
    assertEquals(response.status, 202);
    assertEquals(response.body, { album, entries: 5, photos: 5, skipped: 0, failed: 0, folders: 0 });
    assertEquals(albumRow.status, "ready");
    assertEquals(albumRow.source_bytes, zip.length);
    for (const [name, { data }] of Object.entries(photos)) {
      const row = h.row(album, name);
      assertEquals(row.status, "uploaded", name);
      const object = h.bucket.objects.get(row.path!)!;
      assert(row.path!.startsWith(`${OWNER}/${album}/`), row.path!);
      assert(object.bytes.every((b, i) => b === data[i]) && object.bytes.length === data.length, `bytes of ${name}`);
    }
    assertEquals(h.row(album, "Été/crème brûlée.jpg").path, `${OWNER}/${album}/Ete/creme brulee.jpg`);
    assertEquals(h.bucket.objects.get(h.row(album, "b.png").path!)!.contentType, "image/png");
  }));

Deno.test("junk, folders, symlinks, nested archives and non-photos are skipped with reasons", () =>
  withHarness(async (h) => {
    const inner = await buildZip([{ name: "x.jpg", data: fakeJpeg() }]);
    const zip = await buildZip([
      { name: "trip/" },
      { name: "trip/photo.jpg", data: fakeJpeg() },
      { name: "__MACOSX/trip/._photo.jpg", data: text("resource fork") },
      { name: "trip/.DS_Store", data: text("ds") },
      { name: "trip/Thumbs.db", data: text("thumbs") },
      { name: "trip/link.jpg", data: text("photo.jpg"), externalAttributes: (0o120777 << 16) >>> 0 },
      { name: "trip/notes.txt", data: text("hello"), method: "deflate" },
      { name: "trip/fake.jpg", data: text("%PDF-1.4 not really a jpeg") },
      { name: "trip/inner.zip", data: inner },
      { name: "trip/inner-renamed.jpg", data: inner },
      { name: "trip/empty.jpg", data: new Uint8Array() },
    ]);
    const { album, response, albumRow } = await uploadAndSettle(h, zip);
    assertEquals(response.body.entries, 10, "folders have no row");
    assertEquals(response.body.folders, 1);
    const reason = (name: string) => h.row(album, name).reason ?? "";
    assertEquals(h.row(album, "trip/photo.jpg").status, "uploaded");
    assertMatch(reason("__MACOSX/trip/._photo.jpg"), /macOS/);
    assertMatch(reason("trip/.DS_Store"), /DS_Store/);
    assertMatch(reason("trip/Thumbs.db"), /Thumbs/);
    assertMatch(reason("trip/link.jpg"), /symbolic link/);
    assertEquals(reason("trip/notes.txt"), "not a photo");
    assertEquals(reason("trip/fake.jpg"), "not a photo");
    assertMatch(reason("trip/inner.zip"), /archive inside the archive/);
    assertMatch(reason("trip/inner-renamed.jpg"), /archive inside the archive/);
    assertMatch(reason("trip/empty.jpg"), /empty file/);
    assertEquals(h.bucket.objects.size, 1);
    assertEquals(albumRow.status, "ready", "junk and non-photos do not make an album partial");
  }));

Deno.test("duplicate names and case collisions keep every photo under distinct keys", () =>
  withHarness(async (h) => {
    const zip = await buildZip([
      { name: "IMG_1.JPG", data: fakeJpeg(1000, 1) },
      { name: "img_1.jpg", data: fakeJpeg(1000, 2) },
      { name: "img_1.jpg", data: fakeJpeg(1000, 3) },
      { name: "a/../img_1.jpg", data: fakeJpeg(1000, 4) },
      { name: "x\u0000y\u0007.jpg", data: fakeJpeg(1000, 5) },
      { name: `${"long".repeat(300)}.jpg`, data: fakeJpeg(1000, 6) },
    ]);
    const { album, albumRow } = await uploadAndSettle(h, zip);
    const rows = h.rows(album);
    assertEquals(rows.map((r) => r.status), Array(6).fill("uploaded"));
    assertEquals(new Set(rows.map((r) => r.path!.toLowerCase())).size, 6);
    assertEquals(rows[1].path, `${OWNER}/${album}/img_1 (2).jpg`);
    assertEquals(rows[4].name, "x\uFFFDy\uFFFD.jpg");
    assertEquals(h.bucket.objects.size, 6);
    assertEquals(albumRow.status, "ready");
  }));

Deno.test("path traversal names land under the album's folder", () =>
  withHarness(async (h) => {
    const zip = await buildZip([
      { name: "../../../evil.jpg", data: fakeJpeg(500, 1) },
      { name: "/etc/abs.jpg", data: fakeJpeg(500, 2) },
      { name: "..\\..\\win.jpg", data: fakeJpeg(500, 3) },
      { name: "ok/./../sneaky.jpg", data: fakeJpeg(500, 4) },
    ]);
    const { album } = await uploadAndSettle(h, zip);
    for (const row of h.rows(album)) {
      assertEquals(row.status, "uploaded");
      assert(row.path!.startsWith(`${OWNER}/${album}/`) && !row.path!.includes(".."), row.path!);
    }
    assertEquals(h.rows(album).map((r) => r.path!.slice(`${OWNER}/${album}/`.length)), ["evil.jpg", "etc/abs.jpg", "win.jpg", "ok/sneaky.jpg"]);
  }));

Deno.test("encrypted entries are skipped; a wholly encrypted archive is refused", () =>
  withHarness(async (h) => {
    const some = await buildZip([{ name: "open.jpg", data: fakeJpeg() }, { name: "locked.jpg", data: fakeJpeg(), encrypted: true }]);
    const { album, albumRow } = await uploadAndSettle(h, some);
    assertMatch(h.row(album, "locked.jpg").reason!, /encrypted — Shoebox cannot open password-protected files/);
    assertEquals(albumRow.status, "partial", "a photo was lost");

    const all = await buildZip([{ name: "locked.jpg", data: fakeJpeg(), encrypted: true }]);
    const refused = await uploadAndSettle(h, all);
    assertEquals(refused.response.status, 422);
    assertEquals(refused.response.body.code, "encrypted");
    assertEquals(refused.albumRow.status, "failed");
    assertMatch(refused.albumRow.error!, /password-protected/);
  }));

Deno.test("corrupt entries fail with reasons and the job goes on", () =>
  withHarness(async (h) => {
    const zip = await buildZip([
      { name: "bad-crc.jpg", data: fakeJpeg(5000, 1), crc32: 0x12345678 },
      { name: "bad-crc-deflated.jpg", data: fakeJpeg(5000, 2), method: "deflate", crc32: 0x1234 },
      { name: "size-lie.jpg", data: fakeJpeg(5000, 3), method: "deflate", uncompressedSize: 4000 },
      { name: "size-lie-stored.jpg", data: fakeJpeg(5000, 4), uncompressedSize: 6000 },
      { name: "good.jpg", data: fakeJpeg(5000, 5) },
    ]);
    const { album, albumRow } = await uploadAndSettle(h, zip);
    for (const name of ["bad-crc.jpg", "bad-crc-deflated.jpg", "size-lie.jpg", "size-lie-stored.jpg"]) {
      const row = h.row(album, name);
      assertEquals(row.status, "failed", name);
      assertMatch(row.reason!, /^damaged: /, name);
      assertEquals(row.path, null);
    }
    assertMatch(h.row(album, "bad-crc.jpg").reason!, /checksum/);
    assertEquals(h.row(album, "good.jpg").status, "uploaded");
    assertEquals([...h.bucket.objects.keys()], [h.row(album, "good.jpg").path]);
    assertEquals(albumRow.status, "partial");
  }));

Deno.test("a deflate bomb is stopped on the bytes it produces", () =>
  withHarness(async (h) => {
    const bomb = new Uint8Array(48 * MB); // declared honestly, and below the 50 MiB photo limit
    bomb.set(fakeJpeg(16));
    const zip = await buildZip([
      { name: "bomb.jpg", data: bomb, method: "deflate" },
      { name: "liar.jpg", data: bomb, method: "deflate", uncompressedSize: 2000 },
      { name: "after.jpg", data: fakeJpeg(2000) },
    ]);
    assert(zip.length < MB, "the bomb is small on the wire");
    const { album, albumRow } = await uploadAndSettle(h, zip);
    const bombRow = h.row(album, "bomb.jpg");
    assertEquals(bombRow.status, "skipped");
    assertMatch(bombRow.reason!, /suspicious compression ratio/);
    // Inflated 16 KiB of input at a time, so stopped after its first ~17 MB piece, far from the 48 MB it holds.
    assert(bombRow.size < 20 * MB, `stopped early, at ${bombRow.size} bytes`);
    assert(h.row(album, "liar.jpg").status !== "uploaded");
    assert(h.row(album, "liar.jpg").reason);
    assertEquals(h.row(album, "after.jpg").status, "uploaded");
    assertEquals(albumRow.status, "partial");
  }));

Deno.test("per-photo and archive-wide limits count produced bytes, not declared sizes", () =>
  withHarness(async (h) => {
    const big = fakeJpeg(Math.floor(1.5 * MB));
    const zip = await buildZip([
      { name: "honest-big.jpg", data: big },
      { name: "lying-big.jpg", data: big, uncompressedSize: 1000 },
      ...Array.from({ length: 5 }, (_, i) => ({ name: `p${i}.jpg`, data: fakeJpeg(Math.floor(0.9 * MB), i) })),
    ]);
    const { album } = await uploadAndSettle(h, zip);
    assertEquals(h.row(album, "honest-big.jpg").reason, "larger than 977 KB");
    // zip.js or the meter, whichever notices first: the lie never becomes an object.
    const liar = h.row(album, "lying-big.jpg");
    assert(liar.status !== "uploaded" && liar.size <= 1_000_000 + MB, `${liar.status} at ${liar.size} bytes`);
    assertMatch(liar.reason!, /larger than 977 KB|different size/);
    const photos = h.rows(album).filter((r) => r.name.startsWith("p"));
    const uploadedBytes = [...h.bucket.objects.values()].reduce((n, o) => n + o.bytes.length, 0);
    assert(uploadedBytes <= 3 * MB, `${uploadedBytes} bytes uploaded within the 3 MB budget`);
    assert(photos.filter((r) => r.status === "uploaded").length >= 2);
    for (const row of photos.filter((r) => r.status !== "uploaded")) assertMatch(row.reason!, /expands to more than 3/);
  }, { bytesPerPhoto: 1_000_000, uncompressedBytes: 3 * MB }));

Deno.test("overlapping entries (a non-recursive zip bomb) are failed without extraction", () =>
  withHarness(async (h) => {
    const kernel = new Uint8Array(5 * MB);
    kernel.set(fakeJpeg(16));
    const zip = await buildZip([
      { name: "k0.jpg", data: kernel, method: "deflate" },
      ...Array.from({ length: 20 }, (_, i) => ({ name: `k${i + 1}.jpg`, data: kernel, sameDataAs: 0 })),
    ]);
    const { album, response, albumRow } = await uploadAndSettle(h, zip);
    assertEquals(response.body.failed, 21);
    assertEquals(h.bucket.uploads, 0);
    for (const row of h.rows(album)) assertMatch(row.reason!, /overlapping entries/);
    assertEquals(albumRow.status, "failed");
  }));

Deno.test("an empty zip makes a ready album with no photos", () =>
  withHarness(async (h) => {
    const { album, response, albumRow } = await uploadAndSettle(h, await buildZip([]));
    assertEquals(response.status, 202);
    assertEquals(response.body.entries, 0);
    assertMatch(response.body.message, /empty/);
    assertEquals(albumRow.status, "ready");
    assertEquals(h.rows(album).length, 0);
  }));

Deno.test("archives that cannot be used are refused with a status and the album says why", () =>
  withHarness(async (h) => {
    const good = await buildZip([{ name: "a.jpg", data: fakeJpeg(20_000) }]);
    const cases: [Uint8Array, number, string][] = [
      [text("%PDF-1.7 definitely not a zip"), 415, "not_zip"],
      [good.subarray(0, 9000), 422, "truncated"],
      [await buildZip([{ name: "a.jpg", data: fakeJpeg() }], { prefix: new Uint8Array([0x50, 0x4b, 7, 8]) }), 422, "split"],
      [await buildZip([{ name: "a.jpg", data: fakeJpeg() }], { diskNumber: 3 }), 422, "split"],
      [new Uint8Array(), 400, "empty"],
    ];
    for (const [body, status, error] of cases) {
      const { response, albumRow } = await uploadAndSettle(h, body);
      assertEquals([response.status, response.body.code], [status, error]);
      assert(response.body.message.length > 10);
      assertEquals(albumRow.status, "failed");
      assertEquals(albumRow.error, response.body.message);
    }
  }));

Deno.test("an archive above the spool limit is refused with 413", () =>
  withHarness(async (h) => {
    const zip = await buildZip([{ name: "a.jpg", data: fakeJpeg(50_000) }]);
    const { response, albumRow } = await uploadAndSettle(h, zip);
    assertEquals(response.status, 413);
    assertMatch(response.body.message, /larger than 39.1 KB/);
    assertEquals(albumRow.status, "failed");
  }, { archiveBytes: 40_000 }));

Deno.test("requests are checked before any byte is stored", () =>
  withHarness(async (h) => {
    const preflight = await h.handler(new Request("http://localhost/album-upload", { method: "OPTIONS" }));
    assertEquals(preflight.status, 200);
    assertMatch(preflight.headers.get("Access-Control-Allow-Headers")!, /authorization, x-client-info, apikey, content-type/);
    await preflight.body?.cancel();
    const limits = await h.handler(new Request("http://localhost/album-upload"));
    assertEquals(Object.keys(await limits.json()).sort(), ["archiveBytes", "bytesPerPhoto", "entryCount", "maxRatio", "uncompressedBytes"]);
    const put = await h.handler(new Request("http://localhost/album-upload", { method: "PUT", body: "x" }));
    assertEquals(put.status, 405);
    await put.body?.cancel();
    const anonymous = await h.handler(new Request(`http://localhost/album-upload?album=${h.album()}`, { method: "POST", body: "x" }));
    assertEquals(anonymous.status, 401);
    assertEquals((await anonymous.json()).code, "unauthorized");
    const zip = await buildZip([{ name: "a.jpg", data: fakeJpeg() }]);
    assertEquals((await h.post("not-a-uuid", zip)).status, 400);
    assertEquals((await h.post(crypto.randomUUID(), zip)).status, 404);
    assertEquals((await h.post(h.album(), zip, STRANGER)).status, 404, "someone else's album looks missing");
    const ready = h.album("ready");
    const conflict = await h.post(ready, zip);
    assertEquals([conflict.status, conflict.body.code], [409, "wrong_status"]);
    assertEquals(h.store.albums.get(ready)!.status, "ready");
    assertEquals(await h.spoolFiles(), []);
  }));

Deno.test("a failing upload fails its entry and the job goes on", () =>
  withHarness(async (h) => {
    h.bucket.failFor = (key) => key.endsWith("b.jpg") ? "Storage unavailable" : null;
    h.bucket.refuse = (key) => key.endsWith("d.jpg") ? "connection refused" : null;
    const names = ["a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg"];
    const zip = await buildZip(names.map((name, i) => ({ name, data: fakeJpeg(300_000, i), method: "deflate" as const })));
    const { album, albumRow } = await uploadAndSettle(h, zip);
    assertEquals(h.row(album, "b.jpg").reason, "upload failed: Storage unavailable");
    assertEquals(h.row(album, "d.jpg").reason, "upload failed: connection refused");
    assertEquals(h.rows(album).map((r) => r.status), ["uploaded", "failed", "uploaded", "failed", "uploaded"]);
    assertEquals(albumRow.status, "partial");
  }));

Deno.test("progress is batched on the private album channel; first and last go out at once", () =>
  withHarness(async (h) => {
    const zip = await buildZip(Array.from({ length: 40 }, (_, i) => ({ name: `p${i}.jpg`, data: fakeJpeg(800, i) })));
    const { album } = await uploadAndSettle(h, zip);
    const all = h.broadcasts.messages;
    assert(all.every((m) => m.topic === albumChannel(album) && m.private === true));
    const statuses = h.broadcasts.events("status").map((m) => (m.payload as StatusPayload).status);
    assertEquals(statuses, ["extracting", "ready"]);
    const progress = h.broadcasts.events("progress").map((m) => m.payload as ProgressPayload);
    assertEquals(progress[0].entries.length, 1, "the first entry is sent at once");
    // Between the first and the final flush, batches are at least PROGRESS_INTERVAL_MS apart.
    const batches = h.broadcasts.sends.filter((s) => s.events.includes("progress"));
    for (let i = 1; i < batches.length - 1; i++) {
      assert(batches[i].at - batches[i - 1].at >= PROGRESS_INTERVAL_MS - 5, `batch ${i} came too soon`);
    }
    const seen = progress.flatMap((p) => p.entries.map((e) => e.idx)).sort((a, b) => a - b);
    assertEquals(seen, Array.from({ length: 40 }, (_, i) => i));
    const last = progress.at(-1)!;
    assertEquals([last.total, last.uploaded, last.skipped, last.failed], [40, 40, 0, 0]);
    assert(last.entries.every((e) => e.path && e.status === "uploaded"));
  }));

Deno.test("an interrupted album resumes with the same archive and refuses another", () =>
  withHarness(async (h) => {
    const zip = await buildZip(Array.from({ length: 8 }, (_, i) => ({ name: `p${i}.jpg`, data: fakeJpeg(20_000, i), method: "deflate" as const })));
    const album = h.album();
    let uploads = 0;
    h.bucket.failFor = () => {
      if (++uploads === 3) h.jobs.get(album)!.interrupt("The server ran out of time for this upload.");
      return null;
    };
    const first = await h.post(album, zip);
    assertEquals(first.status, 202);
    await h.settle();
    assertInvariant(h.store, h.bucket, album);
    const interrupted = h.store.albums.get(album)!;
    assertEquals(interrupted.status, "interrupted");
    assertMatch(interrupted.error!, /ran out of time/);
    assertEquals(await h.spoolFiles(), []);
    const done = h.rows(album).filter((r) => r.status === "uploaded").length;
    assert(done >= 3 && done < 8, `${done} uploaded before the interrupt`);
    assertEquals(h.rows(album).filter((r) => r.status === "failed").length, 0, "nothing is blamed on the interrupt");
    assertEquals(h.broadcasts.events("status").map((m) => (m.payload as StatusPayload).status).at(-1), "interrupted");

    const other = await buildZip([{ name: "other.jpg", data: fakeJpeg() }]);
    const refused = await h.post(album, other);
    assertEquals([refused.status, refused.body.code], [409, "different_archive"]);
    assertEquals(h.store.albums.get(album)!.status, "interrupted");

    h.bucket.failFor = () => null;
    const before = h.bucket.uploads;
    h.store.calls = [];
    const resumed = await h.post(album, zip);
    assertEquals(resumed.status, 202);
    assertEquals(resumed.body.entries, 8);
    assertEquals(resumed.body.photos, 8);
    assertEquals(h.store.calls.filter((c) => c.startsWith("insert")), [], "its rows exist: they are not written again");
    await h.settle();
    assertInvariant(h.store, h.bucket, album);
    assertEquals(h.bucket.uploads - before, 8 - done, "only entries not yet uploaded are extracted");
    assertEquals(h.store.albums.get(album)!.status, "ready");
    assertEquals(h.bucket.objects.size, 8);
  }));

Deno.test("a resume after a stop while rows were being written sends only the rows still missing", () =>
  withHarness(async (h) => {
    const count = 2500; // rows go in batches of 1000
    const zip = await buildZip(Array.from({ length: count }, (_, i) => ({ name: `p${i}.jpg`, data: fakeJpeg(64, i) })));
    const album = h.album();
    const insert = h.store.insertEntries.bind(h.store);
    h.store.insertEntries = async (id, rows) => {
      const counters = await insert(id, rows);
      h.jobs.get(id)?.interrupt("The server ran out of time for this upload.");
      return counters;
    };
    const first = await h.post(album, zip);
    assertEquals([first.status, first.body.code], [503, "interrupted"]);
    await h.settle();
    assertEquals(h.rows(album).length, 1000);
    assertEquals(h.store.albums.get(album)!.status, "interrupted");

    h.store.insertEntries = insert;
    h.store.calls = [];
    const resumed = await h.post(album, zip);
    assertEquals([resumed.status, resumed.body.entries, resumed.body.photos], [202, count, count]);
    assertEquals(h.store.calls.filter((c) => c.startsWith("insert")), ["insert:1000", "insert:500"]);
    await h.settle();
    assertInvariant(h.store, h.bucket, album);
    assertEquals(h.store.albums.get(album)!.status, "ready");
    assertEquals(h.bucket.objects.size, count);
  }));

Deno.test("an interrupt that lands while the last photos are in flight still ends the album ready", () =>
  withHarness(async (h) => {
    const zip = await buildZip(Array.from({ length: 2 }, (_, i) => ({ name: `p${i}.jpg`, data: fakeJpeg(20_000, i) })));
    const album = h.album();
    let uploads = 0;
    h.bucket.failFor = () => {
      // Both entries are already in flight (two at a time) when the worker is told to stop.
      if (++uploads === 2) h.jobs.get(album)!.interrupt("The server ran out of time for this upload.");
      return null;
    };
    assertEquals((await h.post(album, zip)).status, 202);
    await h.settle();
    assertInvariant(h.store, h.bucket, album);
    assertEquals(h.rows(album).map((r) => r.status), ["uploaded", "uploaded"]);
    assertEquals(h.store.albums.get(album)!.status, "ready", "nothing is left to resume");
    assertEquals(h.broadcasts.events("status").map((m) => (m.payload as StatusPayload).status).at(-1), "ready");
  }));

Deno.test("unexpected server trouble answers 500 and the album says so", () =>
  withHarness(async (h) => {
    h.store.insertEntries = () => Promise.reject(new Error("database unavailable"));
    const zip = await buildZip([{ name: "a.jpg", data: fakeJpeg() }]);
    const { response, albumRow } = await uploadAndSettle(h, zip);
    assertEquals([response.status, response.body.code], [500, "internal"]);
    assertEquals(albumRow.status, "failed");
    assertMatch(albumRow.error!, /went wrong/);
    assertMatch(h.logs.join("\n"), /database unavailable/);
  }));
