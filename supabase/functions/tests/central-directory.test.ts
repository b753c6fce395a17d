import { assert, assertEquals, assertMatch, assertRejects } from "./support/assert.ts";
import { ArchiveError, findOverlaps, readCentralDirectory } from "../album-upload/central-directory.ts";
import { buildZip, fakeJpeg, text } from "./support/zip-builder.ts";

const memory = (bytes: Uint8Array) => ({
  size: bytes.length,
  readUint8Array: (offset: number, length: number) => Promise.resolve(bytes.slice(offset, offset + length)),
});

async function problemOf(bytes: Uint8Array, maxEntries = 100): Promise<ArchiveError> {
  let caught: unknown;
  await assertRejects(() => readCentralDirectory(memory(bytes), maxEntries), (e) => caught = e);
  assert(caught instanceof ArchiveError, String(caught));
  return caught;
}

Deno.test("reads entry counts and a fingerprint of size plus directory hash", async () => {
  const zip = await buildZip([{ name: "a.jpg", data: fakeJpeg() }, { name: "dir/" }, { name: "dir/b.jpg", data: fakeJpeg(100), method: "deflate" }]);
  const cd = await readCentralDirectory(memory(zip), 100);
  assertEquals(cd.entryCount, 3);
  assertEquals(cd.fileCount, 2);
  assertMatch(cd.fingerprint, new RegExp(`^${zip.length}:[0-9a-f]{64}$`));
  assertEquals(cd.overlapping.size, 0);
  assertEquals((await readCentralDirectory(memory(zip), 100)).fingerprint, cd.fingerprint);
  const other = await buildZip([{ name: "a.jpg", data: fakeJpeg() }, { name: "dir/" }, { name: "dir/c.jpg", data: fakeJpeg(100), method: "deflate" }]);
  assert((await readCentralDirectory(memory(other), 100)).fingerprint !== cd.fingerprint);
});

Deno.test("reads zip64 archives, data descriptors and comments", async () => {
  const zip = await buildZip([
    { name: "a.jpg", data: fakeJpeg(), zip64: true },
    { name: "b.jpg", data: fakeJpeg(500), dataDescriptor: true, method: "deflate" },
  ], { zip64: true, comment: "made by a camera" });
  const cd = await readCentralDirectory(memory(zip), 100);
  assertEquals(cd.entryCount, 2);
  assertEquals(cd.overlapping.size, 0);
});

Deno.test("an empty archive has no entries", async () => {
  const cd = await readCentralDirectory(memory(await buildZip([])), 100);
  assertEquals([cd.entryCount, cd.fileCount], [0, 0]);
});

Deno.test("finds entries that share local data (non-recursive zip bomb)", async () => {
  const kernel = new Uint8Array(100_000);
  const zip = await buildZip([
    { name: "ok.jpg", data: fakeJpeg() },
    { name: "k.bin", data: kernel, method: "deflate" },
    { name: "k2.bin", data: kernel, sameDataAs: 1 },
    { name: "k3.bin", data: kernel, sameDataAs: 1 },
  ]);
  const cd = await readCentralDirectory(memory(zip), 100);
  assertEquals(cd.overlapping, new Set([1, 2, 3]));
});

Deno.test("overlap detection never flags adjacent entries", () => {
  // starts and minimum ends: [0,50) [50,80) [80,81) [200,300) [250,260) → only the last two overlap
  const starts = Float64Array.from([0, 50, 80, 200, 250]);
  const ends = Float64Array.from([50, 80, 81, 300, 260]);
  assertEquals(findOverlaps(starts, ends), new Set([3, 4]));
});

Deno.test("split and spanned archives are refused with a message", async () => {
  const spanned = await buildZip([{ name: "a.jpg", data: fakeJpeg() }], { prefix: new Uint8Array([0x50, 0x4b, 7, 8]), diskNumber: 1 });
  const e = await problemOf(spanned);
  assertEquals(e.problem, "split");
  assertMatch(e.message, /split into several parts/);
  assertEquals((await problemOf(await buildZip([{ name: "a.jpg", data: fakeJpeg() }], { diskNumber: 2, zip64: true }))).problem, "split");
});

Deno.test("a truncated upload is reported as incomplete", async () => {
  const zip = await buildZip([{ name: "a.jpg", data: fakeJpeg(10_000) }]);
  const e = await problemOf(zip.subarray(0, 6000));
  assertEquals(e.problem, "truncated");
  assertMatch(e.message, /incomplete/);
  assertEquals((await problemOf(zip.subarray(0, 10))).problem, "truncated");
});

Deno.test("a damaged central directory is unreadable", async () => {
  const zip = await buildZip([{ name: "a.jpg", data: fakeJpeg(1000) }, { name: "b.jpg", data: fakeJpeg(1000) }]);
  const end = new DataView(zip.buffer, zip.length - 22);
  const second = end.getUint32(16, true) + 46 + "a.jpg".length; // the second directory record
  const broken = zip.slice();
  broken.fill(0, second, second + 4);
  assertEquals((await problemOf(broken)).problem, "unreadable");
});

Deno.test("a wholly encrypted archive is refused, a partly encrypted one is not", async () => {
  const all = await buildZip([{ name: "a.jpg", data: fakeJpeg(), encrypted: true }, { name: "d/" }, { name: "d/b.jpg", data: fakeJpeg(), encrypted: true }]);
  const e = await problemOf(all);
  assertEquals(e.problem, "encrypted");
  assertMatch(e.message, /password-protected/);
  const some = await buildZip([{ name: "a.jpg", data: fakeJpeg(), encrypted: true }, { name: "b.jpg", data: fakeJpeg() }]);
  assertEquals((await readCentralDirectory(memory(some), 100)).fileCount, 2);
});

Deno.test("too many entries are refused before anything is written", async () => {
  const zip = await buildZip(Array.from({ length: 6 }, (_, i) => ({ name: `${i}.txt`, data: text("x") })));
  const e = await problemOf(zip, 5);
  assertEquals(e.problem, "too_many_entries");
  assertMatch(e.message, /at most 5/);
});

Deno.test("a directory holding more records than it declares is damaged, not trusted", async () => {
  const zip = await buildZip(Array.from({ length: 6 }, (_, i) => ({ name: `${i}.jpg`, data: fakeJpeg(100) })));
  const end = new DataView(zip.buffer, zip.length - 22);
  end.setUint16(8, 1, true);
  end.setUint16(10, 1, true);
  assertEquals((await problemOf(zip)).problem, "unreadable");
});
