// Turns archive entry names into Storage object keys. Storage accepts only
// [A-Za-z0-9_/!.*'() &$=@;:+,?-] (docs/supabase-behaviour.md#uploads); we use a narrower set that needs no escaping
// in a URL path ([A-Za-z0-9 _.,!'()-]), transliterate accents, and never produce `..`, a leading `/`
// or empty segments. Folders are kept (sanitised) so a later sub-album feature can use them. Keys are
// unique per album ignoring case, deterministically by entry order, so a resume computes the same keys.

/** Longest key part we create under `<owner>/<album>/` (Storage keys stay far below 1 024 bytes). */
export const MAX_RELATIVE_KEY = 240;
const MAX_SEGMENT = 120;

const SPECIAL: Record<string, string> = {
  "ß": "ss", "Æ": "AE", "æ": "ae", "Ø": "O", "ø": "o", "Œ": "OE", "œ": "oe", "Ł": "L", "ł": "l",
  "Đ": "D", "đ": "d", "Þ": "Th", "þ": "th", "Ð": "D", "ð": "d", "ı": "i",
};

function transliterate(text: string): string {
  // Most names are plain ASCII already; NFKD over them is the costliest step of planning an entry.
  if (/^[ -~]*$/.test(text)) return text;
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^ -~]/g, (ch) => SPECIAL[ch] ?? "_"); // anything outside printable ASCII
}

function cleanSegment(segment: string): string {
  let s = transliterate(segment).replace(/[^A-Za-z0-9 _.,!'()-]/g, "_");
  s = s.replace(/_{2,}/g, "_").trim();
  if (/^\.*$/.test(s)) return ""; // ".", ".." and dot-only names never become segments
  return shorten(s, MAX_SEGMENT);
}

/** Cuts the stem and keeps the extension, so `very…long.jpg` stays a `.jpg`. */
function shorten(name: string, max: number): string {
  if (name.length <= max) return name;
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : "";
  return name.slice(0, max - ext.length).trimEnd() + ext;
}

/** The sanitised relative key for an entry name (not yet made unique). */
export function sanitiseEntryPath(name: string): string {
  const segments = name.replace(/\\/g, "/").split("/").map(cleanSegment).filter((s) => s !== "");
  if (segments.length === 0) return "file";
  let key = segments.join("/");
  // Deep folder chains are flattened to the file name rather than cut in the middle of a folder.
  if (key.length > MAX_RELATIVE_KEY) key = shorten(segments.at(-1)!, MAX_RELATIVE_KEY - 16);
  return key;
}

/** Assigns album-unique keys in archive order; case-insensitive collisions become `name (2).jpg`. */
export class KeyAllocator {
  readonly #used = new Set<string>();

  allocate(name: string): string {
    const base = sanitiseEntryPath(name);
    let key = base;
    for (let n = 2; this.#used.has(key.toLowerCase()); n++) key = withSuffix(base, n);
    this.#used.add(key.toLowerCase());
    return key;
  }
}

function withSuffix(key: string, n: number): string {
  const slash = key.lastIndexOf("/");
  const dir = key.slice(0, slash + 1);
  const file = key.slice(slash + 1);
  const dot = file.lastIndexOf(".");
  return dot > 0 ? `${dir}${file.slice(0, dot)} (${n})${file.slice(dot)}` : `${dir}${file} (${n})`;
}

/** Full object key inside the `photos` bucket: `<owner>/<album>/<relative>`. */
export function objectKey(ownerId: string, albumId: string, relative: string): string {
  return `${ownerId}/${albumId}/${relative}`;
}

/** Display name kept in album_entries.name: Postgres text cannot hold NUL, control chars are hidden. */
export function displayName(name: string, max = 1024): string {
  // deno-lint-ignore no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, "\uFFFD");
  return clean.length > max ? clean.slice(0, max - 1) + "…" : clean;
}
