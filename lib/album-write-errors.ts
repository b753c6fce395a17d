/**
 * What a person reads when the database refuses to create or rename an album: the per-user limits, the
 * check constraints on the columns they write, and an album being deleted (migration
 * 20261203000100_album_integrity.sql; docs/architecture.md#per-user-limits). Input is the PostgREST
 * error as supabase-js hands it over. Pure; album-write-errors.test.ts.
 */
import { quotaFigures as figures, storageQuotaMessage } from "../supabase/functions/_shared/storage-quota.ts";

// The function words its own quota refusals with the same sentence.
export { storageQuotaMessage };

export interface PostgrestErrorLike {
  code?: string;
  message: string;
  details?: string | null;
  hint?: string | null;
}

/** Check constraints on `albums`, by name, as a person would put them. */
const CONSTRAINT_MESSAGES: Record<string, string> = {
  albums_name_check: "An album name needs 1 to 200 characters.",
  albums_name_not_blank: "An album name needs at least one letter, digit or sign, not only spaces.",
  albums_source_name_length: "The archive's file name is too long: at most 255 characters. Rename the file, then try again.",
  albums_source_bytes_not_negative: "The archive's size could not be read. Choose the file again.",
};

/** The sentence to show for an error from inserting or renaming an album. */
export function albumWriteMessage(error: PostgrestErrorLike): string {
  if (error.hint === "album_limit") {
    const { maxAlbums } = figures(error.details);
    const limit = typeof maxAlbums === "number" ? maxAlbums.toLocaleString("en-US") : "your";
    return `You have reached the limit of ${limit} albums. Delete albums you no longer need to make room for new ones.`;
  }
  if (error.hint === "storage_quota") return storageQuotaMessage(figures(error.details));
  if (error.hint === "album_deleting" || error.code === "PT410") return "This album is being deleted.";
  if (error.code === "23514") {
    const name = /check constraint "([^"]+)"/.exec(error.message)?.[1];
    if (name && CONSTRAINT_MESSAGES[name]) return CONSTRAINT_MESSAGES[name];
  }
  return error.message;
}
