import type { IncomingHttpHeaders } from "node:http";
import type { Database } from "../db/database.ts";
import type { VerifyKeys } from "../shared/jwt.ts";
import type { PlanLimits } from "../shared/plan.ts";
import { canWrite, readPolicies, type Extension, type ReadPolicies } from "./authorization.ts";
import { joinRefusal } from "./join-admission.ts";
import { parseJoinConfig, type JoinConfig } from "./join-config.ts";
import type { PresenceBook, PresenceMember } from "./presence.ts";
import type { RateCounter } from "./rate-limit.ts";
import { TOO_MANY_MESSAGES, type BroadcastMessage, type Registry } from "./registry.ts";
import { encodeUserBroadcast, JSON_ENCODING, type Frame, type UserBroadcastPush, type Vsn } from "./serializer.ts";
import { checkToken, type Caller } from "./token.ts";

/** The socket a channel lives on. */
export interface ChannelHost {
  readonly vsn: Vsn;
  readonly connectCaller: Caller;
  readonly headers: IncomingHttpHeaders;
  /** Channels joined on this socket right now. */
  readonly channelCount: number;
  send(frame: Frame): void;
  sendBinary(data: Buffer): void;
  forget(channel: Channel): void;
  /** Closes the whole socket, as realtime does after refusing a join for the joins-per-second limit. */
  disconnect(): void;
}

/** What every channel shares: the database for policy checks, the subscriptions, presence, limits. */
export interface RealtimeCore {
  db: Database;
  registry: Registry<Channel>;
  presence: PresenceBook;
  plan: PlanLimits;
  /** Joins admitted across the project in the last second (docs/supabase-behaviour.md#realtime-limits). */
  joinRate: RateCounter;
  /** The project refuses public channels ("Allow public access" off). */
  privateOnly: boolean;
  /** How long a refused join waits before its error reply (realtime's CHANNEL_ERROR_BACKOFF_MS). */
  joinErrorBackoffMs: number;
  /** What tokens are verified with (the project secret and ES256 key). */
  keys: VerifyKeys;
  log: (line: string) => void;
}

/** Everything a channel is made from once its join was admitted. */
interface ChannelOptions {
  core: RealtimeCore;
  host: ChannelHost;
  /** The `phx_join` frame: its topic and join ref become the channel's. */
  frame: Frame;
  config: JoinConfig;
  caller: Caller;
  read: ReadPolicies;
}

const TOPIC_PREFIX = "realtime:";
/** realtime re-checks token expiry at least this often (docs/supabase-behaviour.md#joining-a-channel). */
const EXPIRY_CHECK_MS = 5 * 60_000;

/**
 * One joined `realtime:<sub>` topic on one socket (docs/supabase-behaviour.md#joining-a-channel, #client-events, #server-events, #private-channels): holds the join config,
 * the caller, and the private channel's cached policies.
 */
export class Channel implements PresenceMember {
  private write: Partial<Record<Extension, boolean>> = {};
  private closed = false;
  private expiryTimer: NodeJS.Timeout | undefined;

  private readonly core: RealtimeCore;
  private readonly host: ChannelHost;
  readonly topic: string;
  readonly joinRef: string | null;
  readonly isPrivate: boolean;
  private readonly self: boolean;
  private readonly ack: boolean;
  presenceEnabled: boolean;
  readonly presenceKey: string;
  private caller: Caller;
  private read: ReadPolicies;

  private constructor(options: ChannelOptions) {
    const { core, host, frame, config, caller, read } = options;
    this.core = core;
    this.host = host;
    this.topic = frame.topic;
    this.joinRef = frame.joinRef;
    this.isPrivate = config.isPrivate;
    this.self = config.self;
    this.ack = config.ack;
    this.presenceEnabled = config.presenceEnabled;
    this.presenceKey = config.presenceKey;
    this.caller = caller;
    this.read = read;
  }

  get subTopic(): string {
    return this.topic.slice(TOPIC_PREFIX.length);
  }

  /**
   * `phx_join`: validates the topic, the project's limits, the token and (for private channels) the read
   * policies, in realtime's order, then replies. The limits come before anything that touches the
   * database, so joins over them cost a counter, not a transaction.
   */
  static async join(core: RealtimeCore, host: ChannelHost, frame: Frame): Promise<Channel | null> {
    const reply = (status: "ok" | "error", response: unknown) =>
      host.send({ joinRef: frame.joinRef, ref: frame.ref, topic: frame.topic, event: "phx_reply", payload: { status, response } });
    // Every refusal is answered after realtime's backoff, and the socket handles its frames in order, so
    // a socket that floods refused joins is held to one per backoff.
    const refuse = async (reason: string): Promise<null> => {
      await new Promise((done) => setTimeout(done, core.joinErrorBackoffMs));
      reply("error", { reason });
      return null;
    };
    // Phoenix itself answers a topic no channel matches, at once; realtime's backoff is for its own refusals.
    if (!frame.topic.startsWith(TOPIC_PREFIX)) {
      reply("error", { reason: "unmatched topic" });
      return null;
    }
    const subTopic = frame.topic.slice(TOPIC_PREFIX.length);
    if (!subTopic) return refuse("TopicNameRequired: You must provide a topic name");

    const config = parseJoinConfig(frame.payload, host.connectCaller.token);
    const refusal = joinRefusal(core, host, config.isPrivate);
    if (refusal) {
      await refuse(refusal.reason);
      if (refusal.disconnect) host.disconnect();
      return null;
    }
    const check = await checkToken(config.token, core.keys);
    if (!check.ok) return refuse(`InvalidJWTToken: ${check.message}`);

    let read: ReadPolicies = { broadcast: true, presence: true };
    if (config.isPrivate) {
      read = await readPolicies(core.db, check.caller, subTopic, config.presenceEnabled, host.headers);
      // Join succeeds when broadcast-read OR presence-read passes (docs/supabase-behaviour.md#private-channels).
      if (!read.broadcast && !read.presence) {
        return refuse(`Unauthorized: You do not have permissions to read from this Channel topic: ${subTopic}`);
      }
    }
    const channel = new Channel({ core, host, frame, config, caller: check.caller, read });
    core.registry.add(channel);
    // postgres_changes is always present, even empty (docs/supabase-behaviour.md#joining-a-channel); this platform emulates no postgres_changes.
    reply("ok", { postgres_changes: [] });
    if (channel.presenceEnabled && channel.canReceivePresence()) {
      channel.push("presence_state", core.presence.state(subTopic, config.isPrivate));
    }
    channel.watchExpiry();
    return channel;
  }

  canReceiveBroadcast(): boolean {
    return !this.isPrivate || this.read.broadcast;
  }

  canReceivePresence(): boolean {
    return !this.isPrivate || this.read.presence;
  }

  /** Every frame for this topic after the join. */
  async handle(frame: Frame): Promise<void> {
    const payload = (frame.payload ?? {}) as Record<string, unknown>;
    switch (frame.event) {
      case "broadcast": {
        const bytes = Buffer.from(JSON.stringify(payload.payload ?? {}));
        const message: BroadcastMessage = { event: String(payload.event ?? ""), encoding: JSON_ENCODING, bytes, relay: "text" };
        return this.broadcast(message, frame.ref);
      }
      case "presence":
        return this.presence(payload, frame.ref);
      case "access_token":
        return this.updateToken(payload.access_token);
      case "phx_leave":
        this.reply(frame.ref, "ok", {});
        return this.close();
      default:
        return this.reply(frame.ref, "error", { reason: `unknown event ${frame.event}` });
    }
  }

  /** A kind-3 binary push: relayed as kind 4 to the others (docs/supabase-behaviour.md#realtime-frames). */
  async handleUserBroadcast(push: UserBroadcastPush): Promise<void> {
    return this.broadcast({ event: push.userEvent, encoding: push.encoding, bytes: Buffer.from(push.payload), relay: "binary" }, push.ref);
  }

  private async broadcast(message: BroadcastMessage, ref: string | null): Promise<void> {
    // A private channel's sender must pass the INSERT policy; refused messages vanish without a reply (docs/supabase-behaviour.md#private-channels).
    if (this.isPrivate && !(await this.writeAllowed("broadcast"))) return;
    if (this.closed) return;
    if (!this.core.registry.rate.tryAdd(1)) return this.shutdown(TOO_MANY_MESSAGES);
    if (message.bytes.length > this.core.plan.realtimePayloadBytes) {
      if (this.ack) this.reply(ref, "error", { reason: "payload_size_exceeded" });
      return;
    }
    this.core.registry.publish(this.subTopic, this.isPrivate, message, this.self ? undefined : this);
    if (this.ack) this.reply(ref, "ok", {});
  }

  private async presence(payload: Record<string, unknown>, ref: string | null): Promise<void> {
    if (this.isPrivate && !(await this.writeAllowed("presence"))) return;
    if (this.closed) return;
    if (!this.core.registry.rate.tryAdd(1)) return this.shutdown(TOO_MANY_MESSAGES);
    if (payload.event === "track") {
      this.presenceEnabled = true;
      const meta = payload.payload && typeof payload.payload === "object" ? (payload.payload as Record<string, unknown>) : {};
      this.core.presence.track(this, meta);
    } else if (payload.event === "untrack") {
      this.core.presence.untrack(this);
    } else {
      return this.reply(ref, "error", { reason: "unknown presence event" });
    }
    this.reply(ref, "ok", {});
  }

  /** `access_token` (docs/supabase-behaviour.md#client-events): same token, null or `sb_…` are ignored; otherwise re-verify and re-check. */
  private async updateToken(token: unknown): Promise<void> {
    if (typeof token !== "string" || !token || token === this.caller.token || token.startsWith("sb_")) return;
    const check = await checkToken(token, this.core.keys);
    if (!check.ok) return this.shutdown(check.message);
    this.caller = check.caller;
    this.write = {};
    this.watchExpiry();
    if (!this.isPrivate) return;
    this.read = await readPolicies(this.core.db, this.caller, this.subTopic, this.presenceEnabled, this.host.headers);
    if (!this.read.broadcast && !this.read.presence) {
      this.shutdown(`You no longer have permission to read from this Channel topic: ${this.subTopic}`);
    }
  }

  private async writeAllowed(extension: Extension): Promise<boolean> {
    const cached = this.write[extension];
    if (cached !== undefined) return cached;
    let allowed = false;
    try {
      allowed = await canWrite(this.core.db, this.caller, this.subTopic, extension, this.host.headers);
    } catch (error) {
      this.core.log(`[realtime] write check for ${this.subTopic} failed: ${(error as Error).message}`);
    }
    this.write[extension] = allowed;
    return allowed;
  }

  deliver(message: BroadcastMessage): void {
    if (this.closed) return;
    // Socket pushes go out as kind 4; so do raw-byte payloads, which JSON cannot carry (docs/supabase-behaviour.md#realtime-frames).
    if (this.host.vsn === "2.0.0" && (message.relay === "binary" || message.encoding !== JSON_ENCODING)) {
      const frame = encodeUserBroadcast(this.topic, message.event, "", message.encoding, message.bytes);
      if (frame) return this.host.sendBinary(frame);
    }
    if (message.encoding !== JSON_ENCODING) return; // vsn 1.0.0 has no binary frames
    const payload = { type: "broadcast", event: message.event, payload: JSON.parse(message.bytes.toString("utf8")) as unknown, ...(message.id ? { meta: { id: message.id } } : {}) };
    this.host.send({ joinRef: null, ref: null, topic: this.topic, event: "broadcast", payload });
  }

  push(event: string, payload: unknown): void {
    if (!this.closed) this.host.send({ joinRef: this.joinRef, ref: null, topic: this.topic, event, payload });
  }

  /** A channel-level error: `system` message, then the channel stops with `phx_close` (docs/supabase-behaviour.md#server-events). */
  shutdown(reason: string): void {
    if (this.closed) return;
    this.push("system", { extension: "system", status: "error", message: reason, channel: this.subTopic });
    this.host.send({ joinRef: this.joinRef, ref: this.joinRef, topic: this.topic, event: "phx_close", payload: {} });
    this.close();
  }

  /** Leaves quietly: the socket closed, the client left, or the same topic was joined again. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.expiryTimer);
    this.core.registry.remove(this);
    this.core.presence.untrack(this);
    this.host.forget(this);
  }

  private reply(ref: string | null, status: "ok" | "error", response: unknown): void {
    this.host.send({ joinRef: this.joinRef, ref, topic: this.topic, event: "phx_reply", payload: { status, response } });
  }

  private watchExpiry(): void {
    clearTimeout(this.expiryTimer);
    const left = this.caller.exp * 1000 - Date.now();
    if (left <= 0) return this.shutdown("Token has expired");
    this.expiryTimer = setTimeout(() => this.watchExpiry(), Math.min(left + 50, EXPIRY_CHECK_MS));
    this.expiryTimer.unref();
  }
}
