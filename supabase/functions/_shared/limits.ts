// Limits in force for one album upload, their defaults, and the accounting that enforces them on bytes
// actually produced while streaming — never on the sizes an archive declares, which a hostile zip can
// fake. The app imports this file too (its only import is the shared byte formatter), so the browser's
// pre-flight and the function hold one definition of every limit.
import { formatBytes } from "./byte-size.ts";

// Modules that format the limits in their messages take the formatter from here or from byte-size.ts.
export { formatBytes };

export interface UploadLimits {
  /** Largest archive the function spools (the worker's /tmp quota). */
  archiveBytes: number;
  /** Total bytes all entries of one archive may expand to. */
  uncompressedBytes: number;
  /** Largest single photo (the photos bucket's object limit). */
  bytesPerPhoto: number;
  /** Most entries one archive may list. */
  entryCount: number;
  /** Largest expansion factor (produced / compressed) tolerated for one entry. */
  maxRatio: number;
}

const MiB = 1024 * 1024;

/**
 * The defaults, the Free plan's (docs/architecture.md#limits); the function's environment may change
 * each (`supabase/functions/album-upload/README.md`), and the browser asks the function for the values
 * in force, using these only when it cannot.
 */
export const LIMIT_DEFAULTS: UploadLimits = {
  archiveBytes: 256 * MiB, // ALBUM_MAX_ARCHIVE_BYTES: the worker's /tmp quota
  uncompressedBytes: 2048 * MiB, // ALBUM_MAX_UNCOMPRESSED_BYTES: total expansion of one archive
  bytesPerPhoto: 50 * MiB, // ALBUM_MAX_ENTRY_BYTES: the photos bucket's file_size_limit (50MiB)
  entryCount: 100_000, // ALBUM_MAX_ENTRIES
  maxRatio: 100, // ALBUM_MAX_RATIO: produced bytes per compressed byte, per entry
};

/** Entries smaller than this are never judged by ratio: tiny files of zeros compress absurdly well. */
export const RATIO_FLOOR_BYTES = 1024 * 1024;

export type LimitKind = "too_large" | "budget" | "ratio";

export class LimitExceeded extends Error {
  constructor(readonly kind: LimitKind, message: string) {
    super(message);
    this.name = "LimitExceeded";
  }
}

/** Archive-wide budget shared by every entry of one job. */
export class ArchiveBudget {
  produced = 0;
  constructor(readonly limits: UploadLimits) {}

  get exhausted(): boolean {
    return this.produced >= this.limits.uncompressedBytes;
  }

  budgetMessage(): string {
    return `the archive expands to more than ${formatBytes(this.limits.uncompressedBytes)}, the most one upload may hold`;
  }

  /** A meter for one entry; `compressedSize` is what the entry occupies in the archive. */
  meter(compressedSize: number): EntryMeter {
    return new EntryMeter(this, compressedSize);
  }
}

export class EntryMeter {
  produced = 0;
  constructor(private readonly budget: ArchiveBudget, private readonly compressedSize: number) {}

  /** Counts `n` more produced bytes; throws LimitExceeded the moment a limit is passed. */
  add(n: number): void {
    const { limits } = this.budget;
    this.produced += n;
    this.budget.produced += n;
    if (this.produced > limits.bytesPerPhoto) {
      throw new LimitExceeded("too_large", `larger than ${formatBytes(limits.bytesPerPhoto)}`);
    }
    if (this.produced > RATIO_FLOOR_BYTES && this.produced / Math.max(1, this.compressedSize) > limits.maxRatio) {
      throw new LimitExceeded(
        "ratio",
        `suspicious compression ratio (more than ${limits.maxRatio}:1), possibly a zip bomb`,
      );
    }
    if (this.budget.produced > limits.uncompressedBytes) {
      throw new LimitExceeded("budget", this.budget.budgetMessage());
    }
  }
}
