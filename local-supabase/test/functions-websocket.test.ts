import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import WebSocket, { WebSocketServer, type RawData } from "ws";
import { startTestPlatform, ANON_KEY, type TestPlatform } from "./support/platform.ts";
import { startReporter, TEST_FUNCTIONS_DIR, type Reporter } from "./functions-support.ts";
import type { PlanLimits } from "../src/shared/plan.ts";

/**
 * A project whose config.toml serves the `socket` test function twice: as `socket` (verify_jwt on, the
 * default) and as `socket-open` (verify_jwt = false, what hosted tells browser WebSocket clients to use).
 */
async function startSocketPlatform(functionLimits?: Partial<PlanLimits>): Promise<{ t: TestPlatform; project: string }> {
  const project = mkdtempSync(join(tmpdir(), "shoebox-functions-websocket-"));
  mkdirSync(join(project, "supabase"), { recursive: true });
  const entrypoint = join(TEST_FUNCTIONS_DIR, "socket", "index.ts");
  writeFileSync(join(project, "supabase", "config.toml"), `[functions.socket-open]\nverify_jwt = false\nentrypoint = ${JSON.stringify(entrypoint)}\n`);
  const t = await startTestPlatform({ supabaseDir: join(project, "supabase"), functionsDir: TEST_FUNCTIONS_DIR, functionLimits });
  return { t, project };
}

interface OpenSocket {
  ws: WebSocket;
  /** The next message, as text or (binary frames) bytes. */
  next(): Promise<string | Buffer>;
  closed: Promise<{ code: number; reason: string }>;
}

function openSocket(url: string, options: { headers?: Record<string, string>; protocols?: string[] } = {}): Promise<OpenSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options.protocols ?? [], { headers: options.headers });
    const queue: (string | Buffer)[] = [];
    const waiting: ((message: string | Buffer) => void)[] = [];
    ws.on("message", (data: RawData, isBinary: boolean) => {
      const message = isBinary ? Buffer.from(data as Buffer) : data.toString();
      const waiter = waiting.shift();
      if (waiter) waiter(message);
      else queue.push(message);
    });
    const closed = new Promise<{ code: number; reason: string }>((done) => ws.on("close", (code, reason) => done({ code, reason: reason.toString() })));
    ws.once("open", () =>
      resolve({
        ws,
        closed,
        next: () => (queue.length ? Promise.resolve(queue.shift()!) : new Promise((done) => waiting.push(done))),
      }),
    );
    ws.once("error", reject);
  });
}

/** A handshake the gateway or the function refused: the HTTP answer the client got instead of a 101. */
function refusedHandshake(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on("unexpected-response", (_req, res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    ws.on("open", () => reject(new Error("the handshake was accepted")));
    ws.on("error", () => {});
  });
}

const wsUrl = (t: TestPlatform, path: string) => `${t.url.replace(/^http/, "ws")}/functions/v1/${path}`;

describe("functions: WebSockets", () => {
  let t: TestPlatform;
  let project: string;
  let reporter: Reporter;

  before(async () => {
    reporter = await startReporter();
    ({ t, project } = await startSocketPlatform());
  });
  after(async () => {
    await t.close();
    await reporter.close();
    rmSync(project, { recursive: true, force: true });
  });

  test("text and binary frames go both ways through /functions/v1/<name>", async () => {
    const socket = await openSocket(wsUrl(t, "socket-open/room/7?x=1"));
    socket.ws.send("hello");
    assert.equal(await socket.next(), "echo:hello");
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 256));
    socket.ws.send(bytes);
    assert.deepEqual(await socket.next(), Buffer.from(bytes).reverse());
    socket.ws.send("info");
    const info = JSON.parse(String(await socket.next()));
    assert.equal(info.path, "/socket-open/room/7");
    assert.equal(info.query, "?x=1");
    socket.ws.close();
    await socket.closed;
  });

  test("close codes and reasons pass through in both directions", async () => {
    const fromFunction = await openSocket(wsUrl(t, "socket-open"));
    fromFunction.ws.send("close:4001:album deleted");
    assert.deepEqual(await fromFunction.closed, { code: 4001, reason: "album deleted" });

    const fromClient = await openSocket(wsUrl(t, `socket-open?report=${encodeURIComponent(reporter.url)}`));
    fromClient.ws.close(4002, "navigated away");
    const seen = await reporter.next((event) => event.event === "closed" && event.code === 4002);
    assert.equal(seen.reason, "navigated away");
    assert.equal((await fromClient.closed).code, 4002);
  });

  test("verify_jwt checks the handshake's Authorization header with the runtime's 401 answers", async () => {
    assert.deepEqual(await refusedHandshake(wsUrl(t, "socket")), { status: 401, body: JSON.stringify({ msg: "Error: Missing authorization header" }) });
    // A JWT in the query string does not satisfy verify_jwt: the gateway reads only the header.
    assert.deepEqual(await refusedHandshake(wsUrl(t, `socket?jwt=${ANON_KEY}`)), {
      status: 401,
      body: JSON.stringify({ msg: "Error: Missing authorization header" }),
    });
    assert.deepEqual(await refusedHandshake(wsUrl(t, "socket"), { Authorization: "Bearer not-a-jwt" }), { status: 401, body: JSON.stringify({ msg: "Invalid JWT" }) });

    const socket = await openSocket(wsUrl(t, "socket"), { headers: { Authorization: `Bearer ${ANON_KEY}` } });
    socket.ws.send("info");
    assert.equal(JSON.parse(String(await socket.next())).authorization, `Bearer ${ANON_KEY}`);
    socket.ws.close();
  });

  test("with verify_jwt off the function sees a `?jwt=` token and a `jwt-<token>` subprotocol, and may pick it", async () => {
    const byQuery = await openSocket(wsUrl(t, `socket-open?jwt=${ANON_KEY}`));
    byQuery.ws.send("info");
    assert.equal(JSON.parse(String(await byQuery.next())).query, `?jwt=${ANON_KEY}`);
    byQuery.ws.close();

    // One protocol: `ws` joins several with "," where browsers (and Deno's parser) use ", ".
    const byProtocol = await openSocket(wsUrl(t, "socket-open"), { protocols: [`jwt-${ANON_KEY}`] });
    assert.equal(byProtocol.ws.protocol, `jwt-${ANON_KEY}`);
    byProtocol.ws.send("info");
    assert.deepEqual(JSON.parse(String(await byProtocol.next())).protocols, [`jwt-${ANON_KEY}`]);
    byProtocol.ws.close();
  });

  test("a function that declines the upgrade answers with its own HTTP response; unknown functions 404", async () => {
    assert.deepEqual(await refusedHandshake(wsUrl(t, "socket-open?deny")), { status: 403, body: JSON.stringify({ error: "Invalid token provided" }) });
    assert.deepEqual(await refusedHandshake(wsUrl(t, "no-such-function"), { Authorization: `Bearer ${ANON_KEY}` }), { status: 404, body: "Function not found" });
    const plain = await fetch(`${t.url}/functions/v1/socket-open`);
    assert.equal(plain.status, 400);
  });

  test("a function opens an outbound WebSocket with `new WebSocket(...)` and relays through it", async () => {
    const upstream = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    upstream.on("connection", (peer) => peer.on("message", (data, isBinary) => peer.send(isBinary ? data : `upstream:${data}`, { binary: isBinary })));
    await new Promise((resolve) => upstream.once("listening", resolve));
    try {
      const target = `ws://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
      const socket = await openSocket(wsUrl(t, `socket-open?outbound=${encodeURIComponent(target)}`));
      socket.ws.send("ping");
      assert.equal(await socket.next(), "upstream:ping");
      socket.ws.send(Buffer.from([1, 2, 3]));
      assert.deepEqual(await socket.next(), Buffer.from([1, 2, 3]));
      socket.ws.close();
      await socket.closed;
    } finally {
      for (const peer of upstream.clients) peer.terminate();
      await new Promise((resolve) => upstream.close(resolve));
    }
  });
});

// The worker's limits still apply while a socket is open, lowered so each is reached in seconds. The wall
// clock leaves a busy machine room to reach the CPU limit first.
const WALL_CLOCK_MS = 8_000;

describe("functions: WebSockets under the worker's limits", () => {
  let t: TestPlatform;
  let project: string;
  let reporter: Reporter;
  const report = () => `report=${encodeURIComponent(reporter.url)}`;

  before(async () => {
    reporter = await startReporter();
    ({ t, project } = await startSocketPlatform({ functionWallClockMs: WALL_CLOCK_MS, functionCpuSoftMs: 200, functionCpuHardMs: 400 }));
  });
  after(async () => {
    await t.close();
    await reporter.close();
    rmSync(project, { recursive: true, force: true });
  });

  test("burning CPU on a socket fires beforeunload 'cpu', then the connection drops (1006)", async () => {
    const before = reporter.events.length;
    const socket = await openSocket(wsUrl(t, `socket-open?hold&${report()}`));
    socket.ws.send("spin");
    const unload = await reporter.next((event) => event.event === "beforeunload" && reporter.events.indexOf(event) >= before);
    assert.equal(unload.reason, "cpu");
    assert.deepEqual(await socket.closed, { code: 1006, reason: "" });
  });

  test("a socket kept open with waitUntil lasts until the wall clock, then drops (1006)", async () => {
    const before = reporter.events.length;
    const opened = Date.now();
    const socket = await openSocket(wsUrl(t, `socket-open?hold&${report()}`));
    const unload = await reporter.next((event) => event.event === "beforeunload" && reporter.events.indexOf(event) >= before);
    assert.equal(unload.reason, "wall_clock");
    socket.ws.send("still here");
    assert.equal(await socket.next(), "echo:still here");
    assert.deepEqual(await socket.closed, { code: 1006, reason: "" });
    // The worker started just before this socket: past half the wall clock it was not dropped early.
    assert.ok(Date.now() - opened >= WALL_CLOCK_MS * 0.75, `closed after ${Date.now() - opened} ms`);
  });

  test("without waitUntil the finished handshake lets a retired worker drop early, closing the socket", async () => {
    const before = reporter.events.length;
    const socket = await openSocket(wsUrl(t, `socket-open?${report()}`));
    const unload = await reporter.next((event) => event.event === "beforeunload" && reporter.events.indexOf(event) >= before);
    assert.equal(unload.reason, "early_drop");
    assert.deepEqual(await socket.closed, { code: 1006, reason: "" });
  });
});
