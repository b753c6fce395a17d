/**
 * Where a zip built in the browser goes (docs/architecture.md#downloading-photos-as-a-zip): straight
 * into a file the person picks, through the File System Access API's `showSaveFilePicker`, where the
 * browser has it (Chromium-based browsers) — memory stays flat for a multi-GB album; elsewhere into
 * memory, saved as one Blob download at the end, which limits the album to what the tab can hold.
 */

type SavePicker = (options: {
  suggestedName?: string;
  types?: { description: string; accept: Record<string, string[]> }[];
}) => Promise<FileSystemFileHandle>;

export type SaveTarget = {
  /** "file": written to disk as it is built; "memory": held until `finish` saves it. */
  kind: "file" | "memory";
  stream: WritableStream<Uint8Array>;
  /** After the stream was closed: saves a memory target as a download (a file target is complete). */
  finish: () => void;
};

/** Whether zips can stream to disk here (the page shows a note about large albums where not). */
export function canStreamToDisk(): boolean {
  return typeof window !== "undefined" && typeof (window as { showSaveFilePicker?: SavePicker }).showSaveFilePicker === "function";
}

/**
 * Opens the target. Call it straight from the click, before any other await: the picker needs the
 * click's user activation. Answers null when the person closes the picker without choosing a file.
 */
export async function openSaveTarget(suggestedName: string): Promise<SaveTarget | null> {
  const picker = (window as { showSaveFilePicker?: SavePicker }).showSaveFilePicker;
  if (typeof picker === "function") {
    let handle: FileSystemFileHandle;
    try {
      handle = await picker.call(window, { suggestedName, types: [{ description: "Zip archive", accept: { "application/zip": [".zip"] } }] });
    } catch (error) {
      if ((error as DOMException).name === "AbortError") return null;
      throw error;
    }
    const stream = await handle.createWritable();
    return { kind: "file", stream, finish: () => {} };
  }
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  const stream = new WritableStream<Uint8Array>({ write: (chunk) => void chunks.push(new Uint8Array(chunk)) });
  return {
    kind: "memory",
    stream,
    finish: () => {
      const url = URL.createObjectURL(new Blob(chunks, { type: "application/zip" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = suggestedName;
      link.click();
      // The download has the blob once it started; the URL is not needed after that.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
  };
}

/** A file name for the zip: the album's name without characters file systems refuse. */
export function zipFileName(albumName: string): string {
  const clean = albumName.replace(/[\\/:*?"<>|\u0000-\u001f]/g, "_").trim().replace(/^\.+/, "");
  return `${clean || "album"}.zip`;
}
