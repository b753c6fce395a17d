/**
 * Pre-flight of a zip in the browser (docs/architecture.md#pre-flight): reads only the central directory through
 * random access on the File, so a 500 MB archive is summarised in milliseconds without being read.
 * Pure apart from zip.js; see zip-preflight.test.ts.
 */
import { BlobReader, ZipReader, configure } from "@zip.js/zip.js";
import { entryKind } from "@/lib/zip-entry-kind";
import { RATIO_FLOOR_BYTES, type UploadLimits } from "@/lib/upload-limits";
import { isRefusalCode, preflightProblems, type PreflightProblem, type PreflightProblemCode } from "@/lib/zip-preflight-problems";
import { readArchiveDirectory } from "@/lib/archive-directory";
import { UploadError } from "@/lib/upload-error";

// No inflating happens here, and workers would only add start-up cost (docs/architecture.md#extraction-tuning).
configure({ useWebWorkers: false });

export type PreflightReport = {
  fileName: string;
  archiveBytes: number;
  /** False when the file has no readable central directory. */
  isZip: boolean;
  /** Files (directories excluded). */
  entries: number;
  photos: number;
  photoBytes: number;
  others: number;
  /** A few names of the other files, to show what they are. */
  otherExamples: string[];
  junk: number;
  encrypted: number;
  /** Photos larger than the per-photo limit; they will be skipped. */
  oversizedPhotos: number;
  /** Entries that expand beyond the function's ratio limit (zip-bomb guard); they will be skipped. */
  overRatio: number;
  uncompressedBytes: number;
  compressedBytes: number;
  /** uncompressed / compressed; photos barely compress, so ~1 is normal. */
  compressionRatio: number;
  problems: PreflightProblem[];
  /** True when a problem must be fixed before uploading. */
  blocked: boolean;
};

const OTHER_EXAMPLES = 5;

async function namedRefusal(file: Blob): Promise<{ code: PreflightProblemCode; message: string } | null> {
  try {
    await readArchiveDirectory(file);
    return null;
  } catch (error) {
    if (!(error instanceof UploadError) || error.code === "not_zip" || !isRefusalCode(error.code)) return null;
    return { code: error.code, message: error.message };
  }
}

export async function preflightZip(file: Blob & { name?: string }, limits: UploadLimits): Promise<PreflightReport> {
  const report: PreflightReport = {
    fileName: file.name ?? "archive.zip",
    archiveBytes: file.size,
    isZip: true,
    entries: 0,
    photos: 0,
    photoBytes: 0,
    others: 0,
    otherExamples: [],
    junk: 0,
    encrypted: 0,
    oversizedPhotos: 0,
    overRatio: 0,
    uncompressedBytes: 0,
    compressedBytes: 0,
    compressionRatio: 1,
    problems: [],
    blocked: false,
  };

  const reader = new ZipReader(new BlobReader(file));
  try {
    // The generator keeps memory flat on 10,000-entry archives (docs/architecture.md#extraction-tuning).
    for await (const entry of reader.getEntriesGenerator()) {
      if (entry.directory) continue;
      report.entries++;
      report.uncompressedBytes += entry.uncompressedSize;
      report.compressedBytes += entry.compressedSize;
      if (entry.encrypted) report.encrypted++;
      if (entry.uncompressedSize > RATIO_FLOOR_BYTES && entry.uncompressedSize / Math.max(1, entry.compressedSize) > limits.maxRatio) {
        report.overRatio++;
      }
      const kind = entryKind(entry.filename);
      if (kind === "junk") report.junk++;
      else if (kind === "photo") {
        report.photos++;
        report.photoBytes += entry.uncompressedSize;
        if (entry.uncompressedSize > limits.bytesPerPhoto) report.oversizedPhotos++;
      } else {
        report.others++;
        if (report.otherExamples.length < OTHER_EXAMPLES) report.otherExamples.push(entry.filename);
      }
    }
  } catch {
    // zip.js throws when there is no end-of-central-directory record or it is corrupt: either way
    // this is not an archive the function could open. The protocol's own locator names the cause the
    // function would give (the last part of a split set, a file cut short).
    report.isZip = false;
    const cause = await namedRefusal(file);
    if (cause) {
      report.problems = [{ code: cause.code, blocking: true, message: cause.message, action: "" }];
      report.blocked = true;
      return report;
    }
  } finally {
    await reader.close().catch(() => undefined);
  }

  report.compressionRatio = report.compressedBytes > 0 ? report.uncompressedBytes / report.compressedBytes : 1;
  report.problems = preflightProblems(report, limits);
  report.blocked = report.problems.some((p) => p.blocking);
  return report;
}
