// Files that every archiver or operating system sprinkles into zips. They become `skipped` rows with a
// reason, so the invariant still counts them, but they never reach Storage.

/** Returns why `name` (the entry's path inside the archive) is junk, or null. */
export function junkReason(name: string): string | null {
  const parts = name.replace(/\\/g, "/").split("/").filter((p) => p !== "");
  const base = parts.at(-1) ?? "";
  if (parts.slice(0, -1).some((p) => p === "__MACOSX") || base === "__MACOSX") {
    return "macOS metadata (__MACOSX), not a photo";
  }
  if (base.startsWith("._")) return "macOS resource fork (._ file), not a photo";
  const lower = base.toLowerCase();
  if (lower === ".ds_store") return "macOS folder settings (.DS_Store), not a photo";
  if (lower === "thumbs.db" || lower === "ehthumbs.db") return "Windows thumbnail cache (Thumbs.db), not a photo";
  if (lower === "desktop.ini") return "Windows folder settings (desktop.ini), not a photo";
  if (parts.some((p) => p === ".git" || p === ".svn")) return "version-control metadata, not a photo";
  return null;
}

const ARCHIVE_EXTENSIONS = /\.(zip|rar|7z|tar|gz|tgz|bz2|xz|zst|cab|iso|dmg)$/i;

/** Nested archives are never expanded (a classic way to multiply a zip bomb). */
export function isArchiveName(name: string): boolean {
  return ARCHIVE_EXTENSIONS.test(name);
}

export const NESTED_ARCHIVE_REASON = "archive inside the archive; Shoebox does not open nested archives";
