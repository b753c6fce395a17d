import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import type { RealtimeChannel, SupabaseClient } from "@supabase/supabase-js";
import { startTestPlatform, ANON_KEY, type TestPlatform } from "./support/platform.ts";
import { signJwt } from "../src/shared/jwt.ts";

const SUPABASE_DIR = fileURLToPath(new URL("../../supabase", import.meta.url));
const WAIT_MS = 5_000;

type Received = { type: string; event: string; payload: unknown; meta?: { id?: string } };

/** Resolves with `promise`, or fails naming what never happened. */
function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`timed out waiting for ${what}`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Records every broadcast of `event` on `channel` (register before subscribing). */
function inbox(channel: RealtimeChannel, event = "*") {
  const messages: Received[] = [];
  const waiters: { count: number; done: () => void }[] = [];
  channel.on("broadcast", { event }, (message) => {
    messages.push(message as Received);
    for (const waiter of waiters.filter((w) => messages.length >= w.count)) waiter.done();
  });
  return {
    messages,
    /** Waits until `count` messages have arrived in total. */
    until(count: number): Promise<Received[]> {
      if (messages.length >= count) return Promise.resolve(messages);
      return within(new Promise<Received[]>((done) => waiters.push({ count, done: () => done(messages) })), `${count} broadcast(s)`);
    },
  };
}

/** The first terminal subscribe status: SUBSCRIBED, or the error status with its Error. */
function joined(channel: RealtimeChannel): Promise<{ status: string; error?: Error }> {
  return within(new Promise((done) => channel.subscribe((status, error) => done({ status, error }))), `${channel.topic} to join`);
}

async function subscribe(channel: RealtimeChannel): Promise<RealtimeChannel> {
  const { status, error } = await joined(channel);
  assert.equal(status, "SUBSCRIBED", `join failed: ${status} ${error?.message ?? ""}`);
  return channel;
}

/** Resolves when the channel reports `status` through its subscribe callback after joining. */
function statusAfterJoin(channel: RealtimeChannel, wanted: string): { joined: Promise<void>; reached: Promise<void> } {
  let joinedDone!: () => void;
  let reachedDone!: () => void;
  const joinedPromise = new Promise<void>((done) => (joinedDone = done));
  const reached = new Promise<void>((done) => (reachedDone = done));
  channel.subscribe((status) => {
    if (status === "SUBSCRIBED") joinedDone();
    if (status === wanted) reachedDone();
  });
  return { joined: within(joinedPromise, `${channel.topic} to join`), reached: within(reached, `${channel.topic} to be ${wanted}`) };
}

describe("realtime (/realtime/v1) through supabase-js", () => {
  let platform: TestPlatform;

  /** A signed-in user's client; the album's owner for private channels. */
  async function newUser(): Promise<{ client: SupabaseClient; id: string; token: string }> {
    const user = await platform.newUser();
    return { client: user.client, id: user.id, token: user.accessToken };
  }

  /** Another access token for the same user, as a refresh would hand out. */
  function mintToken(sub: string, lifetime = 3600): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return signJwt({ iss: `${platform.url}/auth/v1`, sub, aud: "authenticated", exp: now + lifetime, iat: now, role: "authenticated", session_id: randomUUID() });
  }

  async function createAlbum(ownerId: string): Promise<string> {
    const { rows } = await platform.platform.db.asSuperuser((tx) =>
      tx.query<{ id: string }>("insert into public.albums (owner_id, name) values ($1, 'Holiday') returning id", [ownerId]),
    );
    return rows[0].id;
  }

  before(async () => {
    // Shoebox's project allows private channels only; this suite also covers public ones. Refused joins
    // are answered after 100 ms instead of hosted's 5 s, as realtime's own tests configure it.
    platform = await startTestPlatform({ supabaseDir: SUPABASE_DIR, realtimePrivateOnly: false, realtimeJoinErrorBackoffMs: 100 });
  });
  after(async () => {
    await platform?.close();
  });

  test("a broadcast reaches the other subscribers, and the sender only with self: true", async () => {
    const topic = `room:${randomUUID()}`;
    const quiet = platform.anon().channel(topic);
    const loud = platform.anon().channel(topic, { config: { broadcast: { self: true } } });
    const quietInbox = inbox(quiet);
    const loudInbox = inbox(loud);
    await subscribe(quiet);
    await subscribe(loud);

    assert.equal(await quiet.send({ type: "broadcast", event: "greet", payload: { from: "quiet", n: 1 } }), "ok");
    const [first] = await loudInbox.until(1);
    assert.deepEqual(first, { type: "broadcast", event: "greet", payload: { from: "quiet", n: 1 } });

    await loud.send({ type: "broadcast", event: "greet", payload: { from: "loud" } });
    await loudInbox.until(2);
    assert.deepEqual(loudInbox.messages.map((m) => m.payload), [{ from: "quiet", n: 1 }, { from: "loud" }]);
    // The quiet sender's own message would have reached it before loud's (one socket keeps order).
    const quietSeen = await quietInbox.until(1);
    assert.deepEqual(quietSeen.map((m) => m.payload), [{ from: "loud" }]);
    // phx_leave is answered with ok; without the reply unsubscribe() would resolve "timed out".
    assert.equal(await quiet.unsubscribe(), "ok");
  });

  test("ack: true resolves send() with the server's ok, and 'error' when the payload is over the plan limit", async () => {
    const topic = `room:${randomUUID()}`;
    const sender = await subscribe(platform.anon().channel(topic, { config: { broadcast: { ack: true } } }));
    assert.equal(await sender.send({ type: "broadcast", event: "ping", payload: { n: 1 } }), "ok");
    const tooBig = { blob: "x".repeat(platform.platform.context.plan.realtimePayloadBytes + 1) };
    assert.equal(await sender.send({ type: "broadcast", event: "ping", payload: tooBig }), "error");
  });

  test("binary payloads travel as bytes and arrive as an ArrayBuffer", async () => {
    const topic = `room:${randomUUID()}`;
    const receiver = platform.anon().channel(topic);
    const received = inbox(receiver, "bytes");
    await subscribe(receiver);
    const sender = await subscribe(platform.anon().channel(topic));
    await sender.send({ type: "broadcast", event: "bytes", payload: new Uint8Array([0, 1, 2, 250, 255]).buffer });
    const [message] = await received.until(1);
    assert.ok(message.payload instanceof ArrayBuffer, "payload is an ArrayBuffer");
    assert.deepEqual([...new Uint8Array(message.payload as ArrayBuffer)], [0, 1, 2, 250, 255]);
  });

  test("a private album channel admits its owner and refuses anyone else with the hosted reason", async () => {
    const owner = await newUser();
    const stranger = await newUser();
    const albumId = await createAlbum(owner.id);
    await subscribe(owner.client.channel(`album:${albumId}`, { config: { private: true } }));

    const refused = stranger.client.channel(`album:${albumId}`, { config: { private: true } });
    const { status, error } = await joined(refused);
    await stranger.client.removeChannel(refused);
    assert.equal(status, "CHANNEL_ERROR");
    assert.equal(error?.message, `Unauthorized: You do not have permissions to read from this Channel topic: album:${albumId}`);
    // The policy probes were rolled back: nothing was written to realtime.messages.
    const { rows } = await platform.platform.db.asSuperuser((tx) =>
      tx.query<{ count: number }>("select count(*)::int as count from realtime.messages where topic = $1", [`album:${albumId}`]),
    );
    assert.equal(rows[0].count, 0);
  });

  test("httpSend with the service role reaches a private subscriber; a user's unauthorised send is dropped", async () => {
    const owner = await newUser();
    const albumId = await createAlbum(owner.id);
    const topic = `album:${albumId}`;
    const ownerChannel = owner.client.channel(topic, { config: { private: true } });
    const progress = inbox(ownerChannel, "progress");
    await subscribe(ownerChannel);

    // No INSERT policy on realtime.messages: the owner may read but not send. Hosted answers 202 anyway.
    assert.deepEqual(await ownerChannel.httpSend("progress", { n: 1 }), { success: true });
    const service = platform.service().channel(topic, { config: { private: true } });
    assert.deepEqual(await service.httpSend("progress", { n: 2 }), { success: true });

    await progress.until(1);
    assert.deepEqual(progress.messages.map((m) => m.payload), [{ n: 2 }], "only the authorised message arrives");
  });

  test("realtime.send() from SQL reaches the private channel", async () => {
    const owner = await newUser();
    const albumId = await createAlbum(owner.id);
    const channel = owner.client.channel(`album:${albumId}`, { config: { private: true } });
    const status = inbox(channel, "status");
    await subscribe(channel);
    await platform.platform.db.asSuperuser((tx) =>
      tx.query("select realtime.send($1::jsonb, 'status', $2)", [JSON.stringify({ status: "ready" }), `album:${albumId}`]),
    );
    const [message] = await status.until(1);
    assert.deepEqual(message, { type: "broadcast", event: "status", payload: { status: "ready" } });
  });

  test("presence: tracked members sync to each other and leave when they untrack", async () => {
    const topic = `lobby:${randomUUID()}`;
    const alice = platform.anon().channel(topic, { config: { presence: { key: "alice" } } });
    const bob = platform.anon().channel(topic, { config: { presence: { key: "bob" } } });
    const keys = (channel: RealtimeChannel) => Object.keys(channel.presenceState()).sort().join(",");
    const synced = (channel: RealtimeChannel, wanted: string) =>
      within(new Promise<void>((done) => channel.on("presence", { event: "sync" }, () => keys(channel) === wanted && done())), `${channel.topic} presence "${wanted}"`);
    const aliceSeesBoth = synced(alice, "alice,bob");
    const bobSeesBoth = synced(bob, "alice,bob");
    const aliceSeesOnlyHerself = new Promise<void>((done) => alice.on("presence", { event: "leave" }, ({ key }) => key === "bob" && done()));
    await subscribe(alice);
    await subscribe(bob);
    assert.equal(await alice.track({ name: "Alice" }), "ok");
    assert.equal(await bob.track({ name: "Bob" }), "ok");
    await aliceSeesBoth;
    await bobSeesBoth;
    assert.equal((alice.presenceState() as Record<string, { name: string }[]>).bob[0].name, "Bob");

    assert.equal(await bob.untrack(), "ok");
    await within(aliceSeesOnlyHerself, "bob's leave");
    assert.equal(keys(alice), "alice");
  });

  test("a new access token that loses read permission closes the private channel with a system error", async () => {
    const owner = await newUser();
    const albumId = await createAlbum(owner.id);
    const channel = owner.client.channel(`album:${albumId}`, { config: { private: true } });
    const system = new Promise<{ status: string; message: string }>((done) => channel.on("system", {}, done));
    const { joined: ready, reached: closed } = statusAfterJoin(channel, "CLOSED");
    await ready;

    await platform.platform.db.asSuperuser((tx) => tx.query("delete from public.albums where id = $1", [albumId]));
    await owner.client.realtime.setAuth(await mintToken(owner.id, 7200));

    const notice = await within(system, "the system message");
    assert.equal(notice.status, "error");
    assert.equal(notice.message, `You no longer have permission to read from this Channel topic: album:${albumId}`);
    await closed;
  });

  test("the websocket refuses a connection without a valid JWT, answering the upgrade with JSON", async () => {
    const refusal = (apikey: string) =>
      within(
        new Promise<{ status: number; body: unknown }>((done, fail) => {
          const socket = new WebSocket(`${platform.url.replace("http", "ws")}/realtime/v1/websocket?apikey=${apikey}&vsn=2.0.0`);
          socket.on("open", () => fail(new Error("the socket opened")));
          socket.on("unexpected-response", (_req, res) => {
            let body = "";
            res.on("data", (chunk: Buffer) => (body += chunk));
            res.on("end", () => done({ status: res.statusCode ?? 0, body: JSON.parse(body) }));
          });
        }),
        "the refusal",
      );
    assert.deepEqual(await refusal("not-a-jwt"), { status: 401, body: { error: "The token provided is not a valid JWT" } });
    const noExp = await signJwt({ role: "anon" });
    assert.deepEqual(await refusal(noExp), { status: 401, body: { error: "Fields `role` and `exp` are required in JWT" } });
    const expired = await signJwt({ role: "anon", exp: Math.floor(Date.now() / 1000) - 10 });
    assert.deepEqual(await refusal(expired), { status: 401, body: { error: "Token has expired" } });
  });

  test("vsn 1.0.0 speaks JSON objects: heartbeat, join and a broadcast", async () => {
    const topic = `realtime:v1-${randomUUID()}`;
    const socket = new WebSocket(`${platform.url.replace("http", "ws")}/realtime/v1/websocket?apikey=${ANON_KEY}&vsn=1.0.0`);
    const frames: Record<string, unknown>[] = [];
    const waiting: { match: (f: Record<string, unknown>) => boolean; done: (f: Record<string, unknown>) => void }[] = [];
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data)) as Record<string, unknown>;
      frames.push(frame);
      for (const w of waiting.filter((w) => w.match(frame))) w.done(frame);
    });
    const next = (match: (f: Record<string, unknown>) => boolean, what: string) =>
      within(new Promise<Record<string, unknown>>((done) => {
        const seen = frames.find(match);
        if (seen) done(seen);
        else waiting.push({ match, done });
      }), what);
    await within(new Promise((done) => socket.on("open", done)), "the socket to open");
    try {
      socket.send(JSON.stringify({ topic: "phoenix", event: "heartbeat", payload: {}, ref: "1", join_ref: null }));
      assert.deepEqual(await next((f) => f.ref === "1", "the heartbeat reply"), { join_ref: null, ref: "1", topic: "phoenix", event: "phx_reply", payload: { status: "ok", response: {} } });
      socket.send(JSON.stringify({ topic, event: "phx_join", payload: { config: { broadcast: { self: true } } }, ref: "2", join_ref: "2" }));
      const join = await next((f) => f.ref === "2", "the join reply");
      assert.deepEqual(join.payload, { status: "ok", response: { postgres_changes: [] } });

      const service = platform.service().channel(topic.slice("realtime:".length));
      assert.deepEqual(await service.httpSend("hello", { n: 1 }), { success: true });
      const message = await next((f) => f.event === "broadcast", "the broadcast");
      assert.deepEqual(message, { join_ref: null, ref: null, topic, event: "broadcast", payload: { type: "broadcast", event: "hello", payload: { n: 1 } } });
    } finally {
      socket.close();
    }
  });

  test("the batch REST endpoint delivers with meta.id and refuses what the plan cannot carry", async () => {
    const topic = `room:${randomUUID()}`;
    const channel = platform.anon().channel(topic);
    const received = inbox(channel, "note");
    await subscribe(channel);
    // realtime-js appends the socket's query string to REST URLs; the endpoint ignores it (docs/supabase-behaviour.md#rest-broadcast).
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${platform.url}/realtime/v1/api/broadcast?apikey=${ANON_KEY}&vsn=2.0.0`, {
        method: "POST",
        headers: { apikey: ANON_KEY, "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });

    const sent = await post({ messages: [{ topic, event: "note", payload: { n: 1 }, private: false, id: "note-1" }] });
    assert.equal(sent.status, 202);
    assert.equal(await sent.text(), "");
    const [message] = await received.until(1);
    assert.deepEqual(message, { type: "broadcast", event: "note", payload: { n: 1 }, meta: { id: "note-1" } });

    const limit = platform.platform.context.plan.realtimeMessagesPerSecond;
    const batch = Array.from({ length: limit + 1 }, (_, n) => ({ topic, event: "note", payload: { n }, private: false }));
    const refused = await post({ messages: batch });
    assert.equal(refused.status, 429);
    assert.deepEqual(await refused.json(), { message: "Too many messages to broadcast, please reduce the batch size" });

    const anonymous = await post({ messages: [{ topic, event: "note", payload: {} }] }, { apikey: "nope", authorization: "Bearer nope" });
    assert.equal(anonymous.status, 401);
    assert.deepEqual(await anonymous.json(), { message: "Unauthorized" });

    const wrongType = await fetch(`${platform.url}/realtime/v1/api/broadcast/${topic}/events/note`, {
      method: "POST",
      headers: { apikey: ANON_KEY, "content-type": "text/plain" },
      body: "hello",
    });
    assert.equal(wrongType.status, 415);
    assert.deepEqual(await wrongType.json(), { error: "Unsupported Media Type. Use application/json or application/octet-stream" });
    assert.equal(received.messages.length, 1, "nothing refused was delivered");
  });

  // Last: it spends the project's message budget for the current second.
  test("a chatty sender over the plan's messages per second gets 'Too many messages per second' and is closed", async () => {
    const topic = `chatty:${randomUUID()}`;
    await subscribe(platform.anon().channel(topic));
    const sender = platform.anon().channel(topic);
    const system = new Promise<{ status: string; message: string; channel: string }>((done) => sender.on("system", {}, done));
    const { joined: ready, reached: closed } = statusAfterJoin(sender, "CLOSED");
    await ready;

    const limit = platform.platform.context.plan.realtimeMessagesPerSecond;
    // send() without ack pushes synchronously, so the whole burst leaves before the server answers.
    // A short push timeout only lets the client drop its never-answered (ack: false) pushes sooner.
    for (let n = 0; n < limit * 2; n++) void sender.send({ type: "broadcast", event: "tick", payload: { n } }, { timeout: 1_000 });

    const notice = await within(system, "the rate-limit system message");
    assert.deepEqual(notice, { extension: "system", status: "error", message: "Too many messages per second", channel: topic });
    await closed;
  });
});
