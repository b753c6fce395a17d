/**
 * Where a chosen file's central directory lies, read from its last bytes only (a 40 GB archive costs
 * one 64 KiB read, two when zip64 or a long directory needs more), with the protocol's own locator so
 * the browser refuses exactly what the function would. Throws UploadError (split, not_zip, truncated…).
 */
import { locateDirectory, TAIL_PROBE_BYTES, UploadProblem, type DirectoryLocation } from "@/lib/upload-protocol";
import { UploadError } from "@/lib/upload-error";

const HEAD_BYTES = 4;

async function bytesOf(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}

export async function readArchiveDirectory(file: Blob): Promise<DirectoryLocation> {
  const head = await bytesOf(file.slice(0, HEAD_BYTES));
  let from = Math.max(0, file.size - TAIL_PROBE_BYTES);
  try {
    // Each answer asks for bytes further back, or gives the location: a handful of rounds at most.
    for (let round = 0; round < 8; round++) {
      const tail = await bytesOf(file.slice(from));
      const result = locateDirectory(tail, file.size, head);
      if ("location" in result) return result.location;
      if (result.readFrom >= from) break;
      from = result.readFrom;
    }
  } catch (error) {
    if (error instanceof UploadProblem) throw new UploadError(error.code, { message: error.message });
    throw error;
  }
  throw new UploadError("damaged");
}

/** Offset of the first central-directory record: the directory request's body starts here. */
export async function directoryStart(file: Blob): Promise<number> {
  return (await readArchiveDirectory(file)).directoryStart;
}
