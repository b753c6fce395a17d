/**
 * The fingerprint of a chosen zip, computed in the browser exactly as the album-upload function
 * computes it from a directory request: the archive's size and the SHA-256 of its central directory.
 * Reads only the file's last bytes, so a 40 GB archive costs a directory's worth of reading.
 */
import { readArchiveDirectory } from "@/lib/archive-directory";
import { archiveFingerprint } from "@/lib/upload-protocol";

export async function fingerprintOfFile(file: Blob): Promise<string> {
  const { directoryStart, directoryLength } = await readArchiveDirectory(file);
  const directory = new Uint8Array(await file.slice(directoryStart, directoryStart + directoryLength).arrayBuffer());
  return archiveFingerprint(file.size, directory);
}
