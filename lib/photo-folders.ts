/**
 * An archive's top folders ("Day 1", "Day 2" of a trip), offered as a filter on the album
 * (docs/architecture.md#photos-in-time-and-folders). A folder every photo shares — the one a zip tool
 * wraps everything in ("Trip/Day 1/…") — says nothing, so it is skipped and the folders under it count.
 * Pure; see photo-folders.test.ts.
 */

/** The URL value and key for photos that sit in no folder of their own; a folder name never holds "/". */
export const LOOSE_PHOTOS = "/";

export type Folder = { key: string; label: string; count: number };

export type FolderIndex = {
  /** In name order ("Day 2" before "Day 10"), loose photos last. */
  folders: Folder[];
  /** The key of the folder a photo (by its path in the archive) belongs to. */
  folderOf: (name: string) => string;
};

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

function foldersIn(name: string): string[] {
  const parts = name.split("/").filter(Boolean);
  return parts.slice(0, -1);
}

/** The folders of these photos (their entry names, the paths in the archive) with their counts. */
export function folderIndex(names: readonly string[]): FolderIndex {
  // The folders every photo shares.
  let shared: string[] | null = null;
  for (const name of names) {
    const dirs = foldersIn(name);
    if (shared === null) shared = dirs;
    else {
      let n = 0;
      while (n < shared.length && n < dirs.length && shared[n] === dirs[n]) n++;
      if (n < shared.length) shared = shared.slice(0, n);
    }
    if (shared.length === 0) break;
  }
  const depth = shared?.length ?? 0;
  const folderOf = (name: string) => foldersIn(name)[depth] ?? LOOSE_PHOTOS;
  const counts = new Map<string, number>();
  for (const name of names) {
    const key = folderOf(name);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const folders = [...counts].map(([key, count]) => ({ key, label: key === LOOSE_PHOTOS ? "Not in a folder" : key, count }));
  folders.sort((a, b) => (a.key === LOOSE_PHOTOS ? 1 : b.key === LOOSE_PHOTOS ? -1 : collator.compare(a.key, b.key)));
  return { folders, folderOf };
}
