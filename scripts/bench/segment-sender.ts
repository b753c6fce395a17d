// Sends one archive through the segmented protocol from a process of its own, as a browser would: a
// client sharing the platform's event loop would slow the gateway and Storage it measures. Prints the
// run's summary as JSON on stdout.
//   node --import tsx scripts/bench/segment-sender.ts <url> <access token> <album> <archive path> [directory-only]
import { createClient } from "@supabase/supabase-js";
import WebSocket from "ws";
import { ANON_KEY } from "../../local-supabase/src/shared/keys.ts";
import { fileSource, segmentsOf, sendDirectory, uploadSegmented } from "../../test/integration/support/segmented-upload.ts";

const [url, accessToken, albumId, path, mode] = process.argv.slice(2);
const source = await fileSource(path);
const options = { url, accessToken, albumId };
try {
  if (mode === "directory-only") {
    const started = performance.now();
    const reply = await sendDirectory(options, source);
    const body = reply.body as Record<string, unknown>;
    console.log(JSON.stringify({ status: reply.status, seconds: (performance.now() - started) / 1000, entries: body.entries, segments: (body.segments as unknown[] | undefined)?.length, code: body.code, message: body.message }));
  } else {
    const client = createClient(url, ANON_KEY, {
      auth: { persistSession: false, autoRefreshToken: false },
      global: { headers: { Authorization: `Bearer ${accessToken}` } },
      realtime: { transport: WebSocket as never }, // Node 20 has no global WebSocket
    });
    const run = await uploadSegmented(options, source, { readSegments: segmentsOf(client) });
    const refusals: Record<string, number> = {};
    for (const a of run.answers) if (a.status !== 202) refusals[a.code ?? String(a.status)] = (refusals[a.code ?? String(a.status)] ?? 0) + 1;
    console.log(JSON.stringify({
      status: run.directory.status, code: run.directory.body.code, message: run.directory.body.message,
      segments: run.directory.body.segments?.length ?? 0, requests: run.answers.length, resent: run.resent, refusals,
    }));
  }
} finally {
  await source.close?.();
}
