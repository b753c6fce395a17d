// No failure is swallowed: when the album's status cannot be written, the refusal still reaches the
// client and the failed write is in the function's log with the album's id; a dropped connection is
// not a bad archive (the album waits for the same zip), and a full /tmp leaves the album untouched.
import { assert, assertEquals } from "./support/assert.ts";
import { OWNER, withHarness } from "./support/harness.ts";
import { text } from "./support/zip-builder.ts";

Deno.test("a status write that fails is logged with the album, and the refusal still answers", () =>
  withHarness(async (h) => {
    const album = h.album();
    h.store.setStatus = () => Promise.reject(new Error("database unavailable"));
    const refused = await h.post(album, text("definitely not a zip"));
    assertEquals([refused.status, refused.body.code], [415, "not_zip"]);
    const line = h.logs.find((l) => l.includes(album));
    assert(line !== undefined, `a log line names the album: ${JSON.stringify(h.logs)}`);
    assert(line.includes("could not record status failed") && line.includes("database unavailable"), line);
  }));

/** A body that sends a zip's first bytes and then breaks off, as a closed tab or a lost network does. */
function brokenBody(): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream({
    pull(controller) {
      if (sent) return controller.error(new TypeError("error reading a body from connection"));
      sent = true;
      controller.enqueue(new Uint8Array([0x50, 0x4b, 3, 4, ...new Array(2000).fill(1)]));
    },
  });
}

Deno.test("a connection dropped mid-body leaves the album interrupted, waiting for the same zip", () =>
  withHarness(async (h) => {
    const album = h.album();
    const response = await h.handler(new Request(`http://localhost/album-upload?album=${album}`, {
      method: "POST", headers: { Authorization: `Bearer user:${OWNER}` }, body: brokenBody(),
    }));
    const body = await response.json();
    assertEquals([response.status, body.code], [400, "connection_lost"]);
    const row = h.store.albums.get(album)!;
    assertEquals(row.status, "interrupted");
    assert(/Drop the same zip file on the album to continue/.test(row.error ?? ""), row.error ?? "");
    assertEquals(await h.spoolFiles(), [], "the partial spool is removed");
  }));
