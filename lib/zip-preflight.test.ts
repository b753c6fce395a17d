import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { BlobWriter, Uint8ArrayReader, ZipWriter, configure } from "@zip.js/zip.js";
import { preflightZip } from "./zip-preflight.ts";
import { DEFAULT_LIMITS, type UploadLimits } from "./upload-limits.ts";

configure({ useWebWorkers: false });

type Fixture = { name: string; bytes?: number; fill?: "random" | "zero"; directory?: boolean; password?: string };

/** Builds a zip in memory. Photos are random bytes (incompressible, like real JPEGs) and stored. */
async function buildZip(files: Fixture[], options: { password?: string } = {}): Promise<Blob> {
  const writer = new ZipWriter(new BlobWriter("application/zip"), { password: options.password });
  for (const file of files) {
    if (file.directory) {
      await writer.add(file.name, undefined, { directory: true });
      continue;
    }
    const data = new Uint8Array(file.bytes ?? 64);
    if (file.fill !== "zero") for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
    await writer.add(file.name, new Uint8ArrayReader(data), { level: file.fill === "zero" ? 6 : 0, password: file.password });
  }
  return writer.close();
}

/** Counts the bytes zip.js actually reads, to prove that only the central directory is touched. */
class CountingBlob extends Blob {
  bytesRead = 0;
  override slice(start?: number, end?: number, type?: string): Blob {
    const part = super.slice(start, end, type);
    this.bytesRead += part.size;
    return part;
  }
  override async arrayBuffer(): Promise<ArrayBuffer> {
    this.bytesRead += this.size;
    return super.arrayBuffer();
  }
}

const named = (blob: Blob, name: string) => Object.assign(blob, { name });
const codes = (report: { problems: { code: string }[] }) => report.problems.map((p) => p.code).sort();

describe("preflightZip", () => {
  test("counts photos, other files and junk, ignoring directories", async () => {
    const zip = await buildZip([
      { name: "Holiday/", directory: true },
      { name: "Holiday/IMG_0001.JPG", bytes: 1000 },
      { name: "Holiday/img 2.heic", bytes: 2000 },
      { name: "Holiday/notes.txt", bytes: 10 },
      { name: "__MACOSX/Holiday/._IMG_0001.JPG", bytes: 5 },
      { name: "Holiday/.DS_Store", bytes: 5 },
    ]);
    const report = await preflightZip(named(zip, "holiday.zip"), DEFAULT_LIMITS);
    assert.equal(report.isZip, true);
    assert.equal(report.fileName, "holiday.zip");
    assert.equal(report.entries, 5);
    assert.equal(report.photos, 2);
    assert.equal(report.photoBytes, 3000);
    assert.equal(report.others, 1);
    assert.deepEqual(report.otherExamples, ["Holiday/notes.txt"]);
    assert.equal(report.junk, 2);
    assert.equal(report.uncompressedBytes, 3020);
    assert.equal(report.blocked, false);
    assert.deepEqual(codes(report), ["junk_files", "other_files"]);
  });

  test("reads the central directory only, not the photo data", async () => {
    const zip = await buildZip(Array.from({ length: 8 }, (_, i) => ({ name: `p${i}.jpg`, bytes: 1024 * 1024 })));
    const counting = new CountingBlob([zip]);
    const report = await preflightZip(counting, DEFAULT_LIMITS);
    assert.equal(report.photos, 8);
    assert.ok(counting.bytesRead < 128 * 1024, `read ${counting.bytesRead} of ${zip.size} bytes`);
  });

  test("blocks a file that is not a zip, and explains what to do", async () => {
    const report = await preflightZip(named(new Blob(["just some text, not an archive"]), "photos.zip"), DEFAULT_LIMITS);
    assert.equal(report.isZip, false);
    assert.equal(report.blocked, true);
    assert.deepEqual(codes(report), ["not_zip"]);
    assert.match(report.problems[0].action, /\.zip/);
  });

  test("names the last part of a split set as such, whatever its first bytes", async () => {
    const bytes = new Uint8Array(await (await buildZip([{ name: "a.jpg" }])).arrayBuffer());
    new DataView(bytes.buffer).setUint16(bytes.length - 22 + 4, 2, true); // end record: this is disk 2
    const report = await preflightZip(named(new Blob([bytes]), "photos.zip"), DEFAULT_LIMITS);
    assert.equal(report.blocked, true);
    assert.deepEqual(codes(report), ["split"]);
    assert.match(report.problems[0].message, /Join the parts/);
  });

  test("blocks an empty archive", async () => {
    const report = await preflightZip(await buildZip([]), DEFAULT_LIMITS);
    assert.equal(report.blocked, true);
    assert.deepEqual(codes(report), ["empty"]);
  });

  test("blocks a password-protected archive", async () => {
    const zip = await buildZip([{ name: "a.jpg" }, { name: "b.jpg" }], { password: "secret" });
    const report = await preflightZip(zip, DEFAULT_LIMITS);
    assert.equal(report.encrypted, 2);
    assert.equal(report.blocked, true);
    assert.ok(codes(report).includes("encrypted"));
  });

  test("lets an archive with a few locked files through, warning that they will be skipped", async () => {
    const zip = await buildZip([{ name: "a.jpg" }, { name: "b.jpg" }, { name: "secret.jpg", password: "secret" }]);
    const report = await preflightZip(zip, DEFAULT_LIMITS);
    assert.equal(report.encrypted, 1);
    assert.equal(report.blocked, false);
    const problem = report.problems.find((p) => p.code === "encrypted");
    assert.equal(problem?.blocking, false);
    assert.match(problem!.message, /1 file is password-protected and will be skipped/);
  });

  test("blocks an archive with no photos", async () => {
    const report = await preflightZip(await buildZip([{ name: "report.pdf" }, { name: "data.csv" }]), DEFAULT_LIMITS);
    assert.equal(report.blocked, true);
    assert.ok(codes(report).includes("no_photos"));
  });

  test("applies the function's limits", async () => {
    const zip = await buildZip([
      { name: "small.jpg", bytes: 100 },
      { name: "big.jpg", bytes: 5000 },
      { name: "other.png", bytes: 100 },
    ]);
    const limits: UploadLimits = { ...DEFAULT_LIMITS, archiveBytes: 1000, uncompressedBytes: 1000, bytesPerPhoto: 1000, entryCount: 2 };
    const report = await preflightZip(zip, limits);
    assert.equal(report.oversizedPhotos, 1);
    assert.equal(report.blocked, true);
    assert.deepEqual(codes(report), ["archive_too_large", "photos_too_large", "too_many_entries", "unpacked_too_large"]);
    const warning = report.problems.find((p) => p.code === "photos_too_large");
    assert.equal(warning?.blocking, false);
  });

  test("reports the compression ratio and warns when it is implausible for photos", async () => {
    const zip = await buildZip([{ name: "a.jpg", bytes: 100 }, { name: "zeros.bin", bytes: 2 * 1024 * 1024, fill: "zero" }]);
    const report = await preflightZip(zip, DEFAULT_LIMITS);
    assert.ok(report.compressionRatio > 20, `ratio ${report.compressionRatio}`);
    assert.ok(codes(report).includes("suspicious_compression"));
    assert.equal(report.overRatio, 1, "the 2 MB of zeros passes the function's 100:1 per-entry limit");
    assert.ok(codes(report).includes("entries_over_ratio"));
    assert.equal(report.blocked, false);
  });
});
