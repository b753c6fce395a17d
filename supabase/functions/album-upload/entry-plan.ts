// Classifies every central-directory entry before anything is extracted: folders, junk, symlinks,
// encrypted, overlapping (zip bomb) and declared-oversize entries get their outcome right away; the rest
// are `pending` with an album-unique object key. The plan is a pure function of the archive, so the
// request (which writes the rows) and the background job (which extracts) — and a later resume —
// all compute the same keys.
import { configure, type Entry, type FileEntry, ZipReader } from "@zip.js/zip.js";
import { isArchiveName, junkReason, NESTED_ARCHIVE_REASON } from "../_shared/junk.ts";
import { formatBytes, type UploadLimits } from "../_shared/limits.ts";
import { displayName, KeyAllocator, objectKey } from "../_shared/object-key.ts";
import type { EntryRow, ReasonCode } from "./album-store.ts";
import type { CentralDirectory } from "./central-directory.ts";
import type { ZipFileReader } from "../_shared/zip-file-reader.ts";

/** Entries extracted at the same time; 4 does not help on 2 cores (docs/architecture.md#extraction-tuning). */
export const CONCURRENCY = 2;
/**
 * Small entries in flight at once: each costs the worker little CPU but a few round trips (its upload,
 * Storage's own write), so more of them overlap their waiting (docs/architecture.md#small-entry-concurrency).
 */
export const SMALL_ENTRY_CONCURRENCY = 8;
/** Entries up to this many bytes (compressed) count as small. */
export const SMALL_ENTRY_BYTES = 1024 * 1024;

// Measured tuning (docs/architecture.md#extraction-tuning): no workers (none in the hosted runtime), 1 MiB chunks, and
// maxWorkers above the concurrency because zip.js queues getData beyond it even without workers.
configure({ useWebWorkers: false, chunkSize: 1024 * 1024, maxWorkers: CONCURRENCY + 2 });

export const ENCRYPTED_REASON = "encrypted — Shoebox cannot open password-protected files";
export const OVERLAP_REASON =
  "shares its data with another file in the archive (overlapping entries, a zip-bomb pattern)";

export type PlannedEntry =
  | { kind: "folder"; idx: number }
  | { kind: "row"; idx: number; row: EntryRow; entry: FileEntry | null; key: string | null };

/** zip.js reader over the spooled file. Names are judged by us, so zip.js must not reject `..`. */
export function openZip(file: ZipFileReader): ZipReader<unknown> {
  return new ZipReader(file, { filenameValidation: "tolerant", useWebWorkers: false, checkSignature: true });
}

function decided(idx: number, name: string, size: number, status: "skipped" | "failed", code: ReasonCode, reason: string): PlannedEntry {
  return { kind: "row", idx, entry: null, key: null, row: { idx, name, path: null, size, status, reason, reason_code: code } };
}

/** Yields one plan item per entry, in directory order, without holding entries in memory. */
export async function* planEntries(
  zip: ZipReader<unknown>,
  directory: CentralDirectory,
  limits: UploadLimits,
  owner: string,
  album: string,
): AsyncGenerator<PlannedEntry> {
  const keys = new KeyAllocator();
  let idx = 0;
  for await (const entry of zip.getEntriesGenerator() as AsyncGenerator<Entry>) {
    const i = idx++;
    if (entry.directory) {
      yield { kind: "folder", idx: i };
      continue;
    }
    const name = displayName(entry.filename);
    const size = entry.uncompressedSize;
    const junk = junkReason(entry.filename);
    if (junk) yield decided(i, name, size, "skipped", "junk", junk);
    else if (entry.symlink) yield decided(i, name, size, "skipped", "symlink", "symbolic link, not a photo");
    else if (entry.encrypted) yield decided(i, name, size, "skipped", "encrypted", ENCRYPTED_REASON);
    else if (directory.overlapping.has(i)) yield decided(i, name, size, "failed", "overlap", OVERLAP_REASON);
    else if (isArchiveName(entry.filename)) yield decided(i, name, size, "skipped", "nested_archive", NESTED_ARCHIVE_REASON);
    // An honest declaration above the limit is refused at once; a dishonest one is caught while streaming.
    else if (size > limits.bytesPerPhoto) {
      yield decided(i, name, size, "skipped", "too_large", `larger than ${formatBytes(limits.bytesPerPhoto)}`);
    } else {
      const key = keys.allocate(entry.filename);
      const path = objectKey(owner, album, key);
      yield {
        kind: "row", idx: i, entry: entry as FileEntry, key: path,
        row: { idx: i, name, path, size, status: "pending", reason: null, reason_code: null },
      };
    }
  }
}
