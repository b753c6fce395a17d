// Baseline (a), the approach of the original sample: unzip the request body as it arrives with zip.js's
// ZipReaderStream and upload each entry while it streams. Answers when everything is uploaded.
import { configure, ZipReaderStream } from "@zip.js/zip.js";
import { prefixOf, uploadPhoto } from "../_shared/upload.ts";

// The hosted runtime has no web workers; without this zip.js would try to start some.
configure({ useWebWorkers: false });

Deno.serve(async (req) => {
  if (req.method !== "POST" || !req.body) return Response.json({ ready: true }); // the benchmark's warm-up call
  const prefix = prefixOf(req);
  let files = 0;
  let bytes = 0;
  for await (const entry of req.body.pipeThrough(new ZipReaderStream<Uint8Array>())) {
    if (entry.directory || !entry.readable) continue;
    await uploadPhoto(`${prefix}/${entry.filename}`, entry.readable);
    files += 1;
    bytes += entry.uncompressedSize;
  }
  return Response.json({ files, bytes });
});
