// Streams the request body to a file in /tmp, counting bytes as they arrive; never held in memory beyond
// one 1 MiB block (block-reader.ts).
// Only async file APIs: the edge runtime blocks sync writes after boot and rename/truncate always
// (docs/supabase-behaviour.md#file-system-and-tmp), so a failed spool is deleted with Deno.remove.
// Every refusal is an UploadProblem with the protocol's code (upload-protocol.ts): what the bytes are
// (`empty`, `not_zip`, `split`, too large), and what is nobody's archive's fault — the connection
// dropped (`connection_lost`) or /tmp is full of other uploads (`tmp_full`): both can be sent again.
import { formatBytes } from "../_shared/limits.ts";
import { type ProblemCode, UploadProblem } from "../_shared/upload-protocol.ts";
import { BLOCK_BYTES, BlockReader } from "./block-reader.ts";

export interface Spooled {
  path: string;
  bytes: number;
}

export interface SpoolOptions {
  /** Check the zip signature on the first bytes (a whole archive); a segment starts wherever the plan says. */
  zipSignature?: boolean;
  /** The code for a body beyond `maxBytes`. */
  tooLarge?: ProblemCode;
  tooLargeMessage?: string;
}

/** First four bytes of a zip: a local file header, or the end record of an empty archive. */
function checkSignature(head: Uint8Array): void {
  const [p, k, a, b] = head;
  if (p === 0x50 && k === 0x4b) {
    if ((a === 3 && b === 4) || (a === 5 && b === 6)) return;
    // PK\x07\x08 marks a spanned archive; PK00 a split one written as a single stream.
    if ((a === 7 && b === 8) || (a === 0x30 && b === 0x30)) throw new UploadProblem("split");
  }
  throw new UploadProblem("not_zip");
}

/** The hosted TmpFs refuses a write past its quota; the local platform says "filesystem quota exceeded". */
export function isTmpFull(error: unknown): boolean {
  return /quota|no space|ENOSPC|disk full/i.test(String((error as Error)?.message ?? error));
}

async function writeAll(file: Deno.FsFile, block: Uint8Array): Promise<void> {
  let written = 0;
  while (written < block.length) written += await file.write(block.subarray(written));
}

/**
 * Writes `body` to `path`. Throws UploadProblem when the body is empty, is not a zip (checked on the first
 * bytes, before anything else is stored), passes `maxBytes`, breaks off, or does not fit in /tmp; the
 * partial file is removed.
 */
export async function spoolBody(
  body: ReadableStream<Uint8Array> | null, path: string, maxBytes: number, options: SpoolOptions = {},
): Promise<Spooled> {
  const zip = options.zipSignature ?? true;
  if (!body) throw new UploadProblem("empty", "The request has no body; send the zip archive as the request body.");
  const blocks = new BlockReader(body);
  // Remove-then-createNew instead of O_TRUNC: nothing here leans on truncation, which the runtime blocks.
  await removeQuietly(path);
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { write: true, createNew: true });
  } catch (error) {
    await blocks.cancel();
    throw isTmpFull(error) ? new UploadProblem("tmp_full") : error;
  }
  let bytes = 0;
  try {
    for (;;) {
      // The first block is handed over as soon as the signature can be judged (which comes before the
      // size limit), so a wrong file is refused before more of it is read. No later block reaches further
      // than one byte past the limit: that byte is enough to refuse the body.
      const first = bytes === 0 && zip;
      let block: Uint8Array | null;
      try {
        block = await blocks.next(first ? 4 : BLOCK_BYTES, first ? Math.max(4, maxBytes + 1) : maxBytes + 1 - bytes);
      } catch {
        // The client went away mid-body: not the archive's fault, and the same bytes can come again.
        throw new UploadProblem("connection_lost");
      }
      if (!block) break;
      if (first && block.length >= 4) checkSignature(block);
      bytes += block.length;
      if (bytes > maxBytes) {
        throw new UploadProblem(options.tooLarge ?? "single_too_large",
          options.tooLargeMessage ?? `The archive is larger than ${formatBytes(maxBytes)}, the most one request can carry. Drop it in the app, which sends it in parts.`);
      }
      if (zip && bytes < 4) throw new UploadProblem("not_zip");
      try {
        await writeAll(file, block);
      } catch (error) {
        throw isTmpFull(error) ? new UploadProblem("tmp_full") : error;
      }
    }
    if (bytes === 0) throw new UploadProblem("empty");
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
