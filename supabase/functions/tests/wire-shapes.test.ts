// The requests the function sends to Storage and Realtime, checked against docs/supabase-behaviour.md#uploads and #rest-broadcast,
// and the reporter's behaviour when Realtime is down (the database stays the truth).
import { assert, assertEquals, assertMatch, assertRejects } from "./support/assert.ts";
import { encodeKey, storageUploader, UploadError } from "../album-upload/photo-storage.ts";
import { ProgressReporter, restBroadcaster } from "../album-upload/progress-reporter.ts";
import { interruptReason } from "../album-upload/interrupt.ts";
import { MemoryStore } from "./support/fakes.ts";

function recordingFetch(reply: () => Response) {
  const requests: { url: string; init: RequestInit; body: Uint8Array }[] = [];
  const fetchFn = async (input: string | URL | Request, init: RequestInit = {}) => {
    const body = init.body ? new Uint8Array(await new Response(init.body).arrayBuffer()) : new Uint8Array();
    requests.push({ url: String(input), init, body });
    return reply();
  };
  return { requests, fetchFn: fetchFn as typeof fetch };
}

Deno.test("photos are streamed to Storage with upsert, content type and the service role", async () => {
  const { requests, fetchFn } = recordingFetch(() => Response.json({ Id: "1", Key: "photos/x" }));
  const uploader = storageUploader("http://127.0.0.1:54321", "service-key", fetchFn);
  const body = new Blob([new Uint8Array([1, 2, 3])]).stream();
  await uploader.upload("u/a/Holiday 2024/img (2).jpg", body, "image/jpeg");
  const [request] = requests;
  assertEquals(request.url, "http://127.0.0.1:54321/storage/v1/object/photos/u/a/Holiday%202024/img%20(2).jpg");
  const headers = request.init.headers as Record<string, string>;
  assertEquals([headers["x-upsert"], headers["content-type"], headers.Authorization], ["true", "image/jpeg", "Bearer service-key"]);
  assertEquals((request.init as { duplex?: string }).duplex, "half");
  assertEquals([...request.body], [1, 2, 3]);
  assertEquals(encodeKey("a/b c/ü#.jpg"), "a/b%20c/%C3%BC%23.jpg");
});

Deno.test("Storage errors reported as HTTP 400 keep their real status code", async () => {
  const { fetchFn } = recordingFetch(() =>
    Response.json({ statusCode: "413", error: "Payload too large", message: "The object exceeded the maximum allowed size" }, { status: 400 })
  );
  const uploader = storageUploader("http://x", "k", fetchFn);
  await assertRejects(() => uploader.upload("k.jpg", new Blob(["x"]).stream(), "image/jpeg"), (e) => {
    assert(e instanceof UploadError);
    assertEquals(e.statusCode, "413");
    assertMatch(e.message, /maximum allowed size/);
  });
});

Deno.test("broadcasts use the REST batch endpoint with private messages", async () => {
  const { requests, fetchFn } = recordingFetch(() => new Response(null, { status: 202 }));
  const send = restBroadcaster("http://127.0.0.1:54321", "service-key", fetchFn);
  await send([{ topic: "album:1", event: "status", payload: { status: "extracting", error: null }, private: true }]);
  assertEquals(requests[0].url, "http://127.0.0.1:54321/realtime/v1/api/broadcast");
  assertEquals(JSON.parse(new TextDecoder().decode(requests[0].body)), {
    messages: [{ topic: "album:1", event: "status", payload: { status: "extracting", error: null }, private: true }],
  });
  const failing = restBroadcaster("http://x", "k", recordingFetch(() => new Response("{}", { status: 429 })).fetchFn);
  await assertRejects(() => failing([]));
});

Deno.test("a Realtime outage never stops the database updates", async () => {
  const store = new MemoryStore();
  store.addAlbum("a", "u", "extracting");
  await store.insertEntries("a", [{ idx: 0, name: "x.jpg", path: "u/a/x.jpg", size: 3, status: "pending", reason: null, reason_code: null }]);
  const logs: string[] = [];
  const reporter = new ProgressReporter("a", store, () => Promise.reject(new Error("realtime down")), (m) => logs.push(m));
  await reporter.report({ idx: 0, name: "x.jpg", path: "u/a/x.jpg", size: 3, status: "uploaded", reason: null, reason_code: null, content_type: "image/jpeg" });
  assertEquals(store.entries("a")[0].status, "uploaded");
  assertEquals(reporter.counters?.uploaded, 1);
  assertMatch(logs[0], /realtime down/);
});

Deno.test("interrupt reasons tell people how to continue", () => {
  for (const reason of ["wall_clock", "cpu", "memory", "early_drop", "termination", null]) {
    assertMatch(interruptReason(reason), /Drop the same zip file on the album again/);
  }
  assertMatch(interruptReason("wall_clock"), /ran out of time/);
});
