// The function's own directory parser and the archive layout built on it: what each record says
// (names in UTF-8 or CP437, zip64 sizes and offsets, folders, symlinks, prepended bytes), the
// directory-level refusals, each entry's outcome from the directory alone, and the segment plan:
// whole entries, in file order, every pending entry in exactly one segment, within every budget.
import { type DirectoryLocation, locateDirectory, PROBLEMS, UploadProblem } from "../_shared/upload-protocol.ts";
import { LIMIT_DEFAULTS, invocationFigures, FIGURE_DEFAULTS } from "../album-upload/config.ts";
import { type ArchiveLayout, layOutArchive } from "../album-upload/archive-entries.ts";
import { EntryKind, parseDirectory } from "../album-upload/directory-parser.ts";
import { planSegments, segmentBudget, segmentCpuMs } from "../album-upload/segment-plan.ts";
import { assert, assertEquals } from "./support/assert.ts";
import { buildZip, fakeJpeg, text } from "./support/zip-builder.ts";

const OWNER = "0b7a6c1e-1111-4c3e-9d7a-000000000001";
const ALBUM = "0b7a6c1e-3333-4c3e-9d7a-000000000003";
const MiB = 1024 * 1024;

function located(archive: Uint8Array): DirectoryLocation {
  const result = locateDirectory(archive, archive.length);
  assert("location" in result, "the whole archive reaches its directory");
  return result.location;
}

function parse(archive: Uint8Array, maxEntries = 100_000) {
  const location = located(archive);
  const bytes = archive.subarray(location.directoryStart, location.directoryStart + location.directoryLength);
  return { location, directory: parseDirectory(bytes, location, maxEntries) };
}

function layout(archive: Uint8Array, tmpBytes = 256 * MiB, rate?: number, idxBase = 0, keyPrefix = ""): ArchiveLayout {
  const { location, directory } = parse(archive);
  const limits = { ...LIMIT_DEFAULTS, archiveBytes: tmpBytes };
  const figures = invocationFigures(limits, FIGURE_DEFAULTS);
  return layOutArchive({
    directory, directoryStart: location.directoryStart, limits, figures, budget: segmentBudget(figures, rate),
    owner: OWNER, album: ALBUM, idxBase, keyPrefix,
  });
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert(error instanceof UploadProblem, String(error));
    return error.code;
  }
  throw new Error("expected a refusal");
}

Deno.test("parser reads names, kinds, sizes and offsets as the records state them", async () => {
  const cp437 = new Uint8Array([0x82, 0x74, 0x82, 0x2e, 0x6a, 0x70, 0x67]); // "été.jpg" in CP437, no UTF-8 flag
  const archive = await buildZip([
    { name: "Ferien/Strand.jpg", data: fakeJpeg(3000), method: "deflate" },
    { name: "Ferien/", data: new Uint8Array() },
    { name: "Été/plage.jpg", data: fakeJpeg(500) },
    { name: cp437, data: fakeJpeg(400) },
    { name: "link.jpg", data: text("target.jpg"), externalAttributes: (0o120777 << 16) >>> 0, madeBy: 3 },
    { name: "big.jpg", data: fakeJpeg(1000), zip64: true },
  ]);
  const { directory: d } = parse(archive);
  assertEquals(d.count, 6);
  assertEquals(d.fileCount, 5);
  assertEquals(d.names, ["Ferien/Strand.jpg", "Ferien/", "Été/plage.jpg", "été.jpg", "link.jpg", "big.jpg"]);
  assertEquals([...d.kinds], [EntryKind.File, EntryKind.Folder, EntryKind.File, EntryKind.File, EntryKind.Symlink, EntryKind.File]);
  assertEquals([...d.methods], [8, 0, 0, 0, 0, 0]);
  assertEquals(d.uncompressed[0], 3000);
  assertEquals(d.uncompressed[5], 1000);
  assertEquals(d.compressed[5], 1000);
  // Offsets point at local headers.
  for (let i = 0; i < d.count; i++) assertEquals(new DataView(archive.buffer, archive.byteOffset + d.offsets[i]).getUint32(0, true), 0x04034b50);
});

Deno.test("parser shifts offsets past prepended bytes (self-extractors)", async () => {
  const archive = await buildZip([{ name: "a.jpg", data: fakeJpeg(100) }, { name: "b.jpg", data: fakeJpeg(100) }]);
  const prefixed = new Uint8Array(777 + archive.length);
  prefixed.set(archive, 777);
  const { directory: d } = parse(prefixed);
  assertEquals(d.offsets[0], 777);
  assertEquals(new DataView(prefixed.buffer, d.offsets[1]).getUint32(0, true), 0x04034b50);
});

Deno.test("parser refuses too many entries, split parts, a wholly encrypted archive and damaged records", async () => {
  const three = await buildZip([1, 2, 3].map((i) => ({ name: `${i}.jpg`, data: fakeJpeg(50, i) })));
  assertEquals(refusal(() => parse(three, 2)), "too_many_entries");
  const locked = await buildZip([{ name: "a.jpg", data: fakeJpeg(50), encrypted: true }, { name: "b/", data: new Uint8Array() }]);
  assertEquals(refusal(() => parse(locked)), "encrypted");
  const location = located(three);
  const bytes = three.slice(location.directoryStart, location.directoryStart + location.directoryLength);
  bytes[34] = 1; // first record's disk number
  assertEquals(refusal(() => parseDirectory(bytes, location, 100)), "split");
  const cut = three.slice(location.directoryStart, location.directoryStart + location.directoryLength - 10);
  assertEquals(refusal(() => parseDirectory(cut, { ...location, directoryLength: cut.length }, 100)), "damaged");
  assert(PROBLEMS.too_many_entries.message.includes("Split"), "the refusal says what to do");
});

Deno.test("parser finds entries whose data overlaps another's", async () => {
  const archive = await buildZip([{ name: "a.jpg", data: fakeJpeg(5000) }, { name: "b.jpg", sameDataAs: 0 }]);
  const { directory } = parse(archive);
  assertEquals(directory.overlapping, new Set([0, 1]));
});

Deno.test("layout gives every file its outcome from the directory, and pending photos keys and segments", async () => {
  const archive = await buildZip([
    { name: "a.jpg", data: fakeJpeg(2000) },
    { name: "__MACOSX/._a.jpg", data: text("junk") },
    { name: "folder/", data: new Uint8Array() },
    { name: "nested.zip", data: text("PK") },
    { name: "locked.jpg", data: fakeJpeg(100), encrypted: true },
    { name: "A.JPG", data: fakeJpeg(300) },
    { name: "liar.jpg", data: fakeJpeg(300), uncompressedSize: 100 },
    { name: "huge.jpg", data: fakeJpeg(20), uncompressedSize: 60 * MiB },
  ]);
  const l = layout(archive, 256 * MiB, undefined, 10, "@2/");
  assertEquals(l.counts, { entries: 7, photos: 2, skipped: 4, failed: 1, folders: 1 });
  const byName = new Map(l.rows.map((r) => [r.name, r]));
  assertEquals(byName.get("a.jpg")!.path, `${OWNER}/${ALBUM}/@2/a.jpg`);
  assertEquals(byName.get("A.JPG")!.path, `${OWNER}/${ALBUM}/@2/A (2).JPG`, "keys are unique ignoring case");
  assertEquals(byName.get("a.jpg")!.idx, 10, "idx continues the album's numbering");
  assertEquals(byName.get("A.JPG")!.idx, 15, "folders keep their slot");
  assertEquals([byName.get("__MACOSX/._a.jpg")!.status, byName.get("__MACOSX/._a.jpg")!.reason_code], ["skipped", "junk"]);
  assertEquals(byName.get("nested.zip")!.reason_code, "nested_archive");
  assertEquals(byName.get("locked.jpg")!.reason_code, "encrypted");
  assertEquals([byName.get("liar.jpg")!.status, byName.get("liar.jpg")!.reason_code], ["failed", "damaged"]);
  assertEquals(byName.get("huge.jpg")!.reason_code, "too_large");
  for (const row of l.rows) {
    assertEquals(row.segment !== null, row.status === "pending", `${row.name}: a segment exactly when pending`);
    if (row.status !== "pending") assert(row.reason && row.reason.length > 5, `${row.name} says why`);
  }
});

Deno.test("segments hold whole entries in file order, each pending entry once, within the /tmp share", async () => {
  const photos = Array.from({ length: 60 }, (_, i) => ({ name: `p${i}.jpg`, data: fakeJpeg(40_000 + i * 100, i), method: (i % 2 ? "deflate" : "store") as "deflate" | "store" }));
  const archive = await buildZip(photos);
  const tmp = 2 * MiB; // a sixth of it, less margin: ~310 KB per segment
  const l = layout(archive, tmp);
  const figures = invocationFigures({ ...LIMIT_DEFAULTS, archiveBytes: tmp }, FIGURE_DEFAULTS);
  const directoryStart = located(archive).directoryStart;
  assert(l.segments.length >= Math.ceil(directoryStart / figures.maxSegmentBytes), `${l.segments.length} segments`);
  let previousEnd = 0;
  for (const s of l.segments) {
    assert(s.start >= previousEnd, "segments do not overlap and come in file order");
    assert(s.end - s.start <= figures.maxSegmentBytes, `segment ${s.index}: ${s.end - s.start} bytes`);
    assertEquals(new DataView(archive.buffer, archive.byteOffset + s.start).getUint32(0, true), 0x04034b50, "starts at a local header");
    const inside = l.rows.filter((r) => r.segment === s.index);
    assertEquals(inside.length, s.entries);
    for (const r of inside) assert(r.local_offset >= s.start && r.local_offset < s.end, `${r.name} lies in segment ${s.index}`);
    previousEnd = s.end;
  }
  assertEquals(l.segments.reduce((n, s) => n + s.entries, 0), 60);
  // The whole archive up to the directory is covered: every byte of every entry is sent.
  assertEquals(l.segments.at(-1)!.end, directoryStart);
});

Deno.test("a slow upload rate makes smaller segments; a large photo still gets one of its own", async () => {
  const archive = await buildZip(Array.from({ length: 40 }, (_, i) => ({ name: `p${i}.jpg`, data: fakeJpeg(100_000, i) })));
  const fast = layout(archive, 256 * MiB, 50 * MiB);
  const slow = layout(archive, 256 * MiB, 100_000); // 100 KB/s: 3 MB per 30 s of sending
  assert(slow.segments.length > fast.segments.length, `${slow.segments.length} vs ${fast.segments.length}`);
  // A /tmp of 1 MiB packs ~157 KB per segment and takes one entry of up to ~314 KB alone.
  const big = await buildZip([
    { name: "small.jpg", data: fakeJpeg(50_000, 1) }, { name: "big.jpg", data: fakeJpeg(250_000, 2) },
    { name: "too-big.jpg", data: fakeJpeg(400_000, 3) }, { name: "small2.jpg", data: fakeJpeg(50_000, 4) },
  ]);
  const l = layout(big, MiB);
  const row = (name: string) => l.rows.find((r) => r.name === name)!;
  const own = l.segments.find((s) => s.index === row("big.jpg").segment)!;
  assertEquals(own.entries, 1);
  assertEquals([row("too-big.jpg").status, row("too-big.jpg").reason_code], ["skipped", "too_large"]);
  assert(/the most one upload part can carry/.test(row("too-big.jpg").reason!), row("too-big.jpg").reason!);
  assertEquals(l.segments.reduce((n, s) => n + s.entries, 0), 3);
});

Deno.test("the plan's CPU estimate keeps each segment within its share of one invocation", () => {
  const figures = invocationFigures(LIMIT_DEFAULTS, FIGURE_DEFAULTS);
  const budget = segmentBudget(figures, 100 * MiB);
  const items = Array.from({ length: 5000 }, (_, i) => ({ slot: i, start: i * 20_000, end: (i + 1) * 20_000, dataBytes: 19_900, deflated: true }));
  const { segments, segmentOf } = planSegments(items, figures, budget, items.length);
  for (const s of segments) {
    const cpu = segmentCpuMs(figures, s.entries, 0, s.entries * 19_900);
    assert(cpu <= figures.cpuMs * figures.cpuShare, `segment ${s.index}: ${cpu.toFixed(0)} ms planned`);
  }
  assert([...segmentOf].every((s) => s >= 0), "every item has a segment");
});
