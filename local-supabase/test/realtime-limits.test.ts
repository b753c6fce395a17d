import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import type { RealtimeChannel } from "@supabase/supabase-js";
import { startTestPlatform, ANON_KEY, SERVICE_ROLE_KEY, type TestPlatform } from "./support/platform.ts";

/**
 * Realtime under abuse, through real clients: the project's "private channels only" setting, which
 * traffic counts against the messages-per-second rate, and the joins-per-second and
 * channels-per-connection limits that stop a join flood before it reaches the database.
 */
const SUPABASE_DIR = fileURLToPath(new URL("../../supabase", import.meta.url));
const WAIT_MS = 10_000;

function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`timed out waiting for ${what}`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function joined(channel: RealtimeChannel): Promise<{ status: string; error?: Error }> {
  return within(new Promise((done) => channel.subscribe((status, error) => done({ status, error }))), `${channel.topic} to join`);
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A raw vsn-2 socket that records every text frame it receives. */
async function rawSocket(url: string, key: string) {
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}/realtime/v1/websocket?apikey=${key}&vsn=2.0.0`);
  const frames: unknown[][] = [];
  ws.on("message", (data, isBinary) => {
    if (!isBinary) frames.push(JSON.parse(String(data)) as unknown[]);
  });
  const closed = new Promise<void>((done) => ws.on("close", () => done()));
  await within(new Promise((done, fail) => (ws.once("open", done), ws.once("error", fail))), "the socket to open");
  let ref = 0;
  return {
    ws,
    frames,
    closed,
    join(topic: string, accessToken = key): string {
      const id = String(++ref);
      ws.send(JSON.stringify([id, id, `realtime:${topic}`, "phx_join", { config: { private: true }, access_token: accessToken }]));
      return id;
    },
    /** The join replies' `reason`s (or "ok"), in arrival order. */
    joinOutcomes(): string[] {
      return frames
        .filter((f) => f[3] === "phx_reply" && f[0] !== null)
        .map((f) => {
          const payload = f[4] as { status: string; response: { reason?: string } };
          return payload.status === "ok" ? "ok" : String(payload.response.reason);
        });
    },
  };
}

/** Opens a socket expecting the upgrade to be refused; resolves with the HTTP answer. */
function refusedUpgrade(url: string): Promise<{ status: number; body: unknown }> {
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}/realtime/v1/websocket?apikey=${ANON_KEY}&vsn=2.0.0`);
  return within(
    new Promise((done, fail) => {
      ws.on("unexpected-response", (_req, res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
        res.on("end", () => done({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
      });
      ws.on("open", () => {
        ws.close();
        fail(new Error("the upgrade was accepted"));
      });
      ws.on("error", () => undefined);
    }),
    "the upgrade answer",
  );
}

async function broadcast(url: string, key: string, messages: unknown[]): Promise<{ status: number; body: string }> {
  const response = await fetch(`${url}/realtime/v1/api/broadcast`, {
    method: "POST",
    headers: { apikey: key, Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: JSON.stringify({ messages }),
  });
  return { status: response.status, body: await response.text() };
}

describe("realtime limits (private channels only, message and join rates)", () => {
  let platform: TestPlatform;

  before(async () => {
    platform = await startTestPlatform({ supabaseDir: SUPABASE_DIR });
  });
  after(async () => {
    await platform?.close();
  });

  async function ownAlbum() {
    const owner = await platform.newUser();
    const { data, error } = await owner.client.from("albums").insert({ name: "Holiday" }).select("id").single();
    if (error) throw error;
    return { owner, albumId: (data as { id: string }).id };
  }

  test("Shoebox's project refuses public channels with realtime's PrivateOnly error", async () => {
    const { status, error } = await joined(platform.anon().channel(`room:${randomUUID()}`));
    assert.equal(status, "CHANNEL_ERROR");
    assert.equal(error?.message, "PrivateOnly: This project only allows private channels");
  });

  test("a flood of private messages a stranger may not write costs the project nothing: the owner's progress still arrives", async () => {
    const { owner, albumId } = await ownAlbum();
    const topic = `album:${albumId}`;
    await owner.client.realtime.setAuth(owner.accessToken);
    const received: unknown[] = [];
    const channel = owner.client.channel(topic, { config: { private: true } }).on("broadcast", { event: "progress" }, ({ payload }) => {
      received.push(payload);
    });
    assert.equal((await joined(channel)).status, "SUBSCRIBED");

    // Three loops of anon batches, each half the whole rate: were they counted, two of them would fill
    // the project's second and the function's broadcasts (and the next batches) would be refused.
    const limit = platform.platform.context.plan.realtimeMessagesPerSecond;
    const floodUntil = Date.now() + 2_000;
    const answers: number[] = [];
    const loop = async () => {
      while (Date.now() < floodUntil) {
        const messages = Array.from({ length: limit / 2 }, (_, n) => ({ topic, event: "progress", payload: { forged: n }, private: true }));
        answers.push((await broadcast(platform.url, ANON_KEY, messages)).status);
      }
    };
    const flood = Promise.all([loop(), loop(), loop()]);
    await sleep(500);
    const sent: number[] = [];
    for (let n = 0; n < 6; n++) {
      const answer = await broadcast(platform.url, SERVICE_ROLE_KEY, [{ topic, event: "progress", payload: { n }, private: true }]);
      assert.equal(answer.status, 202, `service broadcast ${n} during the flood: ${answer.status} ${answer.body}`);
      sent.push(n);
      await sleep(100);
    }
    await flood;
    assert.ok((answers.length * limit) / 2 > 2 * limit, `the flood sent ${answers.length} batches of ${limit / 2} in 2 s`);
    assert.ok(answers.every((status) => status === 202), "forged private messages are accepted and dropped, as hosted does");
    await within(
      (async () => {
        while (received.length < sent.length) await sleep(20);
      })(),
      "the owner's six progress messages",
    );
    assert.deepEqual(received, sent.map((n) => ({ n })), "only the service role's messages arrive, all of them");
  });

  test("public REST messages still count against the rate (as hosted) and a batch over it is refused with 429", async () => {
    const limit = platform.platform.context.plan.realtimeMessagesPerSecond;
    await sleep(1_100); // a fresh messages-per-second window
    const publicBatch = Array.from({ length: limit }, (_, n) => ({ topic: `room:${randomUUID()}`, event: "spam", payload: { n }, private: false }));
    assert.equal((await broadcast(platform.url, ANON_KEY, publicBatch)).status, 202);
    const refused = await broadcast(platform.url, SERVICE_ROLE_KEY, [{ topic: "album:x", event: "progress", payload: {}, private: true }]);
    assert.equal(refused.status, 429);
    assert.deepEqual(JSON.parse(refused.body), { message: "Too many messages to broadcast, please reduce the batch size" });
    // The rate is per second: a sender that retries after a pause gets through.
    await sleep(1_100);
    assert.equal((await broadcast(platform.url, SERVICE_ROLE_KEY, [{ topic: "album:x", event: "progress", payload: {}, private: true }])).status, 202);
  });

  test("a join flood on one socket reaches the database once per backoff, and REST stays fast", async () => {
    const restTimes = async (n: number, gapMs = 0) => {
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        const started = performance.now();
        const response = await fetch(`${platform.url}/rest/v1/albums?select=id&limit=1`, { headers: { apikey: ANON_KEY } });
        await response.text();
        times.push(performance.now() - started);
        await sleep(gapMs);
      }
      return times;
    };
    const baseline = median(await restTimes(20));

    const socket = await rawSocket(platform.url, ANON_KEY);
    const floodStarted = Date.now();
    for (let n = 0; n < 5_000; n++) socket.join(`secret:${randomUUID()}`);
    // Some seconds of REST calls while the flood is queued: realtime answers each refused join after a
    // 5 s backoff and handles a socket's frames in order, so one policy check runs per 5 s meanwhile.
    const during = median(await restTimes(40, 150));
    const outcomes = socket.joinOutcomes();
    const allowed = Math.floor((Date.now() - floodStarted) / 5_000) + 1;
    assert.ok(outcomes.length >= 1 && outcomes.length <= allowed, `${outcomes.length} of 5,000 joins were answered in ${Date.now() - floodStarted} ms`);
    assert.match(outcomes[0], /^Unauthorized: You do not have permissions to read from this Channel topic: secret:/);
    // Generous: the point is that the flood does not queue thousands of transactions ahead of REST.
    assert.ok(during <= baseline * 10 + 100, `REST p50 ${during.toFixed(1)} ms during the flood vs ${baseline.toFixed(1)} ms before`);
    socket.ws.close();
    await socket.closed;
  });

  test("more joins in a second than the project allows are refused before the database, and their sockets closed", async () => {
    await sleep(1_100); // a fresh joins-per-second window
    const limit = platform.platform.context.plan.realtimeJoinsPerSecond;
    const sockets = await Promise.all(Array.from({ length: limit + 20 }, () => rawSocket(platform.url, ANON_KEY)));
    // Each join carries a token realtime refuses after the limits, so none reaches the database and the
    // platform answers the next upgrade while the joins are still in the last second.
    for (const socket of sockets) socket.join(`room:${randomUUID()}`, "not-a-jwt");
    // While the project is at its joins limit, a new socket is refused at the upgrade, as realtime does.
    const upgrade = refusedUpgrade(platform.url);
    assert.deepEqual(await upgrade, { status: 429, body: { error: "Too many joins per second" } });

    const answered = () => sockets.filter((socket) => socket.joinOutcomes().length > 0).length;
    await within((async () => { while (answered() < sockets.length) await sleep(50); })(), "every join reply", 20_000);
    const outcomes = sockets.map((socket) => socket.joinOutcomes()[0]);
    assert.equal(outcomes.filter((o) => o === "InvalidJWTToken: The token provided is not a valid JWT").length, limit);
    const refused = sockets.filter((socket) => socket.joinOutcomes()[0] !== outcomes.find((o) => o.startsWith("InvalidJWTToken")));
    assert.equal(refused.length, 20);
    for (const socket of refused) {
      assert.equal(socket.joinOutcomes()[0], "ClientJoinRateLimitReached: Too many joins per second");
      await within(socket.closed, "a refused socket to be closed");
    }
    for (const socket of sockets) socket.ws.close();
  });

  test("one socket may hold 100 channels; the next join is refused with ChannelRateLimitReached", async () => {
    await sleep(1_100); // a fresh joins-per-second window
    const perConnection = platform.platform.context.plan.realtimeChannelsPerConnection;
    const socket = await rawSocket(platform.url, SERVICE_ROLE_KEY);
    // Paced under the joins-per-second limit; the service role passes every policy.
    for (let n = 0; n < perConnection; n++) {
      socket.join(`room:${n}`);
      if (n % 50 === 49) await sleep(1_100);
    }
    socket.join("room:one-too-many");
    await within((async () => { while (socket.joinOutcomes().length < perConnection + 1) await sleep(20); })(), "every join reply");
    const outcomes = socket.joinOutcomes();
    assert.equal(outcomes.filter((o) => o === "ok").length, perConnection);
    assert.equal(outcomes.at(-1), "ChannelRateLimitReached: Too many channels");
    assert.equal(socket.ws.readyState, WebSocket.OPEN, "a channel-count refusal leaves the socket open");
    socket.ws.close();
  });
});
