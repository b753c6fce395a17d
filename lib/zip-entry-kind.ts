/**
 * Classifies archive entries by name alone. The browser reads only the central directory, so magic
 * bytes are out of reach here; the function sniffs the real bytes and has the last word.
 */
export type EntryKind = "photo" | "junk" | "other";

export const PHOTO_EXTENSIONS = new Set([
  "jpg", "jpeg", "jpe", "png", "gif", "webp", "heic", "heif", "avif", "tif", "tiff", "bmp",
]);

/** Files operating systems leave behind in archives; nobody wants them in an album. */
const JUNK_NAMES = new Set([".ds_store", "thumbs.db", "desktop.ini", "ehthumbs.db"]);
const JUNK_FOLDERS = new Set(["__macosx", ".spotlight-v100", ".trashes", ".fseventsd"]);

export function entryKind(path: string): EntryKind {
  const segments = path.split("/").filter(Boolean);
  const base = (segments.at(-1) ?? "").toLowerCase();
  if (segments.some((s) => JUNK_FOLDERS.has(s.toLowerCase()))) return "junk";
  if (base.startsWith("._") || JUNK_NAMES.has(base)) return "junk";
  const dot = base.lastIndexOf(".");
  const extension = dot > 0 ? base.slice(dot + 1) : "";
  return PHOTO_EXTENSIONS.has(extension) ? "photo" : "other";
}
