import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { startTestPlatform, ANON_KEY, type TestPlatform } from "./support/platform.ts";
import { TEST_FUNCTIONS_DIR } from "./functions-support.ts";

// `--latency` / SHOEBOX_LATENCY: every API call waits that long, so nothing can answer sooner. Only lower
// bounds are checked; how much slower a busy machine makes things is not this test's business.
const LATENCY_MS = 150;

describe("platform: hosted-like latency", () => {
  let t: TestPlatform;
  const elapsed = async (run: () => PromiseLike<unknown>) => {
    const started = performance.now();
    await run();
    return performance.now() - started;
  };

  before(async () => {
    t = await startTestPlatform({ functionsDir: TEST_FUNCTIONS_DIR, latency: `${LATENCY_MS}ms` });
  });
  after(() => t.close());

  test("auth, rest, storage and functions calls each take at least the latency", async () => {
    const client = t.anon();
    await client.functions.invoke("echo", { body: "boot" }); // the worker's boot is not what is measured
    const calls: [string, () => PromiseLike<unknown>][] = [
      ["auth", () => client.auth.signInAnonymously()],
      ["rest", () => client.from("albums").select("id").limit(1)],
      ["storage", () => client.storage.from("photos").list("nobody")],
      ["functions", () => client.functions.invoke("echo", { body: "hi" })],
      ["realtime REST broadcast", () => client.channel("latency").httpSend("ping", {})],
    ];
    for (const [name, call] of calls) {
      const ms = await elapsed(call);
      assert.ok(ms >= LATENCY_MS, `${name} answered in ${ms.toFixed(0)} ms`);
    }
  });

  test("a WebSocket handshake and every message sent on it wait for the latency", async () => {
    const url = `${t.url.replace(/^http/, "ws")}/realtime/v1/websocket?apikey=${ANON_KEY}&vsn=1.0.0`;
    let opened = 0;
    const ws = await new Promise<WebSocket>((resolve, reject) => {
      const started = performance.now();
      const socket = new WebSocket(url);
      socket.once("open", () => {
        opened = performance.now() - started;
        resolve(socket);
      });
      socket.once("error", reject);
    });
    assert.ok(opened >= LATENCY_MS, `opened in ${opened.toFixed(0)} ms`);
    const joined = await elapsed(
      () =>
        new Promise<void>((resolve) => {
          ws.on("message", (data) => {
            const frame = JSON.parse(data.toString()) as { event: string };
            if (frame.event === "phx_reply") resolve();
          });
          ws.send(JSON.stringify({ topic: "realtime:latency", event: "phx_join", payload: { config: {} }, ref: "1", join_ref: "1" }));
        }),
    );
    assert.ok(joined >= LATENCY_MS, `joined in ${joined.toFixed(0)} ms`);
    ws.close();
  });
});
