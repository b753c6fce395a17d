import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { startTestPlatform, ANON_KEY, type TestPlatform } from "./support/platform.ts";

/**
 * The platform's HTTP server with a keep-alive client, as browsers and Node's fetch use it: an answer
 * given before the request body was read must not leave a connection that swallows the next request,
 * and requests Node or a function's server cannot take get a 431 that says why.
 */
const SUPABASE_DIR = fileURLToPath(new URL("../../supabase", import.meta.url));
const BIG_BODY = Buffer.alloc(20 * 1024 * 1024, 0x20);

interface Answer {
  status: number;
  body: string;
  connection: string | undefined;
  socket: object | null;
}

describe("HTTP connections (keep-alive after early answers, header limits)", () => {
  let platform: TestPlatform;
  let agent: http.Agent;

  before(async () => {
    platform = await startTestPlatform({ supabaseDir: SUPABASE_DIR });
  });
  after(async () => {
    agent?.destroy();
    await platform?.close();
  });

  /** One request over the shared keep-alive agent (one socket at most, so requests reuse it). */
  function send(method: string, path: string, options: { body?: Buffer; headers?: Record<string, string> } = {}): Promise<Answer> {
    const url = new URL(platform.url);
    return new Promise((done, fail) => {
      const req = http.request(
        { host: url.hostname, port: url.port, method, path, agent, headers: { apikey: ANON_KEY, "Content-Type": "application/json", ...options.headers } },
        (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (body += chunk));
          res.on("end", () => done({ status: res.statusCode ?? 0, body, connection: res.headers.connection, socket: res.socket }));
        },
      );
      req.setTimeout(15_000, () => req.destroy(new Error(`${method} ${path} got no answer in 15 s`)));
      req.on("error", fail);
      req.end(options.body);
    });
  }

  // `drains`: the service reads the refused body to its end itself, so the connection may stay open.
  const early: { what: string; method: string; path: string; headers?: Record<string, string>; status: number; drains?: boolean }[] = [
    { what: "REST refusing a body over its limit (413)", method: "POST", path: "/rest/v1/albums", status: 413 },
    { what: "Auth refusing a body over its limit", method: "POST", path: "/auth/v1/signup", status: 400 },
    { what: "the functions gateway refusing a JWT before reading the upload (401)", method: "POST", path: "/functions/v1/album-upload", status: 401 },
    { what: "Realtime's REST broadcast refusing a payload over its limit (422)", method: "POST", path: "/realtime/v1/api/broadcast", status: 422 },
    {
      what: "Storage refusing an upload from a caller it does not know",
      method: "POST",
      path: "/storage/v1/object/photos/nobody/x.jpg",
      headers: { "Content-Type": "image/jpeg", apikey: "not-a-key" },
      status: 400,
      drains: true,
    },
  ];

  for (const { what, method, path, headers, status, drains } of early) {
    test(`${what}: the next request on the same keep-alive client succeeds`, async () => {
      agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const refused = await send(method, path, { body: BIG_BODY, headers });
      assert.equal(refused.status, status, refused.body);
      if (!drains) assert.equal(refused.connection, "close", "an answer given before the body was read ends the connection");
      const next = await send("GET", "/rest/v1/albums?select=id");
      assert.equal(next.status, 200, next.body);
      if (!drains) assert.notEqual(next.socket, refused.socket, "the next request went over a fresh connection");
      agent.destroy();
    });
  }

  test("a request whose body was read keeps its connection alive for the next one", async () => {
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const first = await send("POST", "/rest/v1/albums", { body: Buffer.from(JSON.stringify({ name: "x" })) });
    assert.equal(first.connection, "keep-alive", first.body);
    const second = await send("GET", "/rest/v1/albums?select=id");
    assert.equal(second.status, 200);
    assert.equal(second.socket, first.socket, "the same connection carried both");
    agent.destroy();
  });

  test("more than 100 headers to a function are answered 431 with a reason, not a worker error", async () => {
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const headers: Record<string, string> = { Authorization: `Bearer ${ANON_KEY}` };
    for (let n = 0; n < 120; n++) headers[`x-extra-${n}`] = "1";
    const answer = await send("GET", "/functions/v1/album-upload", { headers });
    assert.equal(answer.status, 431);
    assert.match(JSON.parse(answer.body).message, /^Request Header Fields Too Large: \d+ headers, at most 100 are accepted/);
    assert.equal((await send("GET", "/rest/v1/albums?select=id")).status, 200);
    agent.destroy();
  });

  test("a request that is not HTTP/1.1 gets a 400 that says so, not an empty answer", async () => {
    const url = new URL(platform.url);
    const raw = await new Promise<string>((done, fail) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.write("GARBAGE / NOT-HTTP\r\n\r\n"));
      let text = "";
      socket.setEncoding("utf8");
      socket.on("data", (chunk: string) => (text += chunk));
      socket.on("end", () => done(text));
      socket.on("error", fail);
    });
    assert.match(raw, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.match(raw, /Connection: close/);
    assert.match(JSON.parse(raw.slice(raw.indexOf("\r\n\r\n") + 4)).message, /not valid HTTP\/1\.1/);
  });

  test("headers over Node's 16 KiB are answered 431 with a reason instead of an empty body", async () => {
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const answer = await send("GET", "/rest/v1/albums?select=id", { headers: { "x-huge": "a".repeat(20_000) } });
    assert.equal(answer.status, 431);
    assert.equal(answer.connection, "close");
    assert.match(JSON.parse(answer.body).message, /larger than 16 KiB/);
    assert.equal((await send("GET", "/rest/v1/albums?select=id")).status, 200, "the client's next request works");
    agent.destroy();
  });
});
