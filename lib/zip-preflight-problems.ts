/**
 * What a pre-flight report means for the person uploading: each problem says what is wrong and what
 * to do about it. Blocking problems stop the upload before a byte is sent.
 */
import { formatBytes, plural } from "@/lib/format";
import type { UploadLimits } from "@/lib/upload-limits";
import type { ProblemCode } from "@/lib/upload-protocol";
import type { PreflightReport } from "@/lib/zip-preflight";

/**
 * Refusals use the upload protocol's codes, the ones the function sends for the same fault; the rest
 * are notes about entries that will be skipped, which the function reports per entry with a reason.
 */
export type PreflightProblemCode =
  | Extract<ProblemCode, "not_zip" | "empty" | "encrypted" | "archive_too_large" | "unpacked_too_large" | "too_many_entries" | "no_photos" | "split" | "truncated" | "damaged">
  | "photos_too_large"
  | "other_files"
  | "junk_files"
  | "suspicious_compression"
  | "entries_over_ratio";

const REFUSALS = new Set<string>(["not_zip", "empty", "split", "truncated", "damaged"]);

/** The locator's refusals the pre-flight shows as they are. */
export function isRefusalCode(code: ProblemCode): code is Extract<PreflightProblemCode, "not_zip" | "empty" | "split" | "truncated" | "damaged"> {
  return REFUSALS.has(code);
}

export type PreflightProblem = {
  code: PreflightProblemCode;
  blocking: boolean;
  message: string;
  /** What to do about it. */
  action: string;
};

/** Photos barely compress; an archive expanding this much is mostly something else (or a zip bomb). */
const SUSPICIOUS_RATIO = 20;

type Facts = Omit<PreflightReport, "problems" | "blocked">;

export function preflightProblems(report: Facts, limits: UploadLimits): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  const add = (code: PreflightProblemCode, blocking: boolean, message: string, action: string) =>
    problems.push({ code, blocking, message, action });

  if (!report.isZip) {
    add("not_zip", true, `“${report.fileName}” is not a zip archive, or it is damaged.`,
      "Choose a .zip file. If it is one, create it again (for example, right-click the folder and choose Compress).");
    return problems;
  }
  if (report.entries === 0) {
    add("empty", true, "This archive contains no files.", "Zip the folder that holds your photos and try again.");
    return problems;
  }
  // A wholly encrypted archive is refused by the function too (422); a few locked files among readable
  // photos are not a reason to refuse the rest: those files are skipped and listed with their reason.
  const readable = report.photos + report.others - report.encrypted;
  if (report.encrypted > 0 && readable <= 0) {
    add("encrypted", true, `This archive is password-protected (${plural(report.encrypted, "encrypted file")}).`,
      "Shoebox cannot open encrypted archives. Extract it on your computer and zip the photos again without a password.");
  } else if (report.encrypted > 0) {
    add("encrypted", false, `${plural(report.encrypted, "file")} ${report.encrypted === 1 ? "is" : "are"} password-protected and will be skipped.`,
      "To keep them, extract them on your computer and zip them again without a password.");
  }
  if (report.archiveBytes > limits.archiveBytes) {
    add("archive_too_large", true,
      `The archive is ${formatBytes(report.archiveBytes)}; Shoebox takes archives of at most ${formatBytes(limits.archiveBytes)}.`,
      "Split the photos into several smaller zips; drop the first here, then the others on its album page to add them.");
  }
  if (report.uncompressedBytes > limits.uncompressedBytes) {
    add("unpacked_too_large", true,
      `Unpacked, the archive holds ${formatBytes(report.uncompressedBytes)}; one album can take at most ${formatBytes(limits.uncompressedBytes)}.`,
      "Split the photos into several smaller zips and upload each one as its own album.");
  }
  if (report.entries > limits.entryCount) {
    add("too_many_entries", true,
      `The archive holds ${plural(report.entries, "file")}; the limit is ${limits.entryCount.toLocaleString("en-US")}.`,
      "Split it into several zips with fewer files each.");
  }
  if (report.photos === 0) {
    add("no_photos", true, "No photos found: none of the files has a photo extension (.jpg, .png, .heic, …).",
      "Check that you picked the right archive.");
  }
  if (report.oversizedPhotos > 0) {
    add("photos_too_large", false,
      `${plural(report.oversizedPhotos, "photo")} ${report.oversizedPhotos === 1 ? "is" : "are"} larger than ${formatBytes(limits.bytesPerPhoto)} and will be skipped.`,
      "Upload them separately after reducing their size, if you need them.");
  }
  if (report.others > 0) {
    add("other_files", false, `${plural(report.others, "file")} ${report.others === 1 ? "is not a photo" : "are not photos"} and will be skipped.`,
      "Nothing to do: they are listed in the album's skipped-files report.");
  }
  if (report.junk > 0) {
    add("junk_files", false, `${plural(report.junk, "system file")} (such as __MACOSX or .DS_Store) will be ignored.`,
      "Nothing to do.");
  }
  if (report.overRatio > 0) {
    add("entries_over_ratio", false,
      `${plural(report.overRatio, "file")} would expand more than ${limits.maxRatio}× and will be skipped as a possible zip bomb.`,
      "Check that you picked the right archive.");
  }
  if (report.compressionRatio > SUSPICIOUS_RATIO) {
    add("suspicious_compression", false,
      `The contents expand ${Math.round(report.compressionRatio)}× when unpacked; photos hardly compress, so most of this archive is something else.`,
      "Check that you picked the right archive.");
  }
  return problems;
}
