// Streams the request body to a file in /tmp, counting bytes as they arrive; never held in memory beyond
// one 1 MiB block (block-reader.ts).
// Only async file APIs: the edge runtime blocks sync writes after boot and rename/truncate always
// (docs/supabase-behaviour.md#file-system-and-tmp), so a failed spool is deleted with Deno.remove.
import { formatBytes } from "../_shared/limits.ts";
import { BLOCK_BYTES, BlockReader } from "./block-reader.ts";

export type SpoolProblem = "empty" | "too_large" | "not_zip" | "split";

export class SpoolError extends Error {
  constructor(readonly problem: SpoolProblem, message: string) {
    super(message);
  }
}

export interface Spooled {
  path: string;
  bytes: number;
}

/** First four bytes of a zip: a local file header, or the end record of an empty archive. */
function checkSignature(head: Uint8Array): void {
  const [p, k, a, b] = head;
  if (p === 0x50 && k === 0x4b) {
    if ((a === 3 && b === 4) || (a === 5 && b === 6)) return;
    // PK\x07\x08 marks a spanned archive; PK00 a split one written as a single stream.
    if ((a === 7 && b === 8) || (a === 0x30 && b === 0x30)) {
      throw new SpoolError(
        "split",
        "This archive is one part of a split (multi-volume) zip. Join the parts into a single .zip file and upload that.",
      );
    }
  }
  throw new SpoolError("not_zip", "This file is not a zip archive.");
}

async function writeAll(file: Deno.FsFile, block: Uint8Array): Promise<void> {
  let written = 0;
  while (written < block.length) written += await file.write(block.subarray(written));
}

/**
 * Writes `body` to `path`. Throws SpoolError when the body is empty, is not a zip (checked on the first
 * bytes, before anything else is stored) or passes `maxBytes`; the partial file is removed.
 */
export async function spoolBody(body: ReadableStream<Uint8Array> | null, path: string, maxBytes: number): Promise<Spooled> {
  if (!body) throw new SpoolError("empty", "The request has no body; send the zip archive as the request body.");
  const blocks = new BlockReader(body);
  // Remove-then-createNew instead of O_TRUNC: nothing here leans on truncation, which the runtime blocks.
  await removeQuietly(path);
  const file = await Deno.open(path, { write: true, createNew: true });
  let bytes = 0;
  try {
    for (;;) {
      // The first block is handed over as soon as the signature can be judged (which comes before the
      // size limit), so a wrong file is refused before more of it is read. No later block reaches further
      // than one byte past the limit: that byte is enough to refuse the body.
      const first = bytes === 0;
      const block = await blocks.next(first ? 4 : BLOCK_BYTES, first ? Math.max(4, maxBytes + 1) : maxBytes + 1 - bytes);
      if (!block) break;
      if (first && block.length >= 4) checkSignature(block);
      bytes += block.length;
      if (bytes > maxBytes) {
        throw new SpoolError("too_large", `The archive is larger than ${formatBytes(maxBytes)}, the most one upload can hold.`);
      }
      if (bytes < 4) throw new SpoolError("not_zip", "This file is not a zip archive.");
      await writeAll(file, block);
    }
    if (bytes === 0) throw new SpoolError("empty", "The upload was empty; send the zip archive as the request body.");
    return { path, bytes };
  } catch (error) {
    await blocks.cancel();
    file.close();
    await removeQuietly(path);
    throw error;
  } finally {
    try {
      file.close();
    } catch {
      // closed in the error path
    }
  }
}

export async function removeQuietly(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch {
    // already gone
  }
}
