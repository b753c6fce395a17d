import type { IncomingHttpHeaders } from "node:http";
import { WebSocket, type RawData } from "ws";
import { Channel, type ChannelHost, type RealtimeCore } from "./channel.ts";
import { decodeText, decodeUserBroadcastPush, encodeText, type Frame, type Vsn } from "./serializer.ts";
import type { Caller } from "./token.ts";

/** Phoenix drops a socket that has sent nothing (not even a heartbeat) for this long. */
const IDLE_TIMEOUT_MS = 60_000;

/**
 * One websocket: decodes frames, answers heartbeats on topic `phoenix`, and routes everything else to
 * the channel joined on that topic (docs/supabase-behaviour.md#realtime-frames, #joining-a-channel, #client-events). Frames are handled strictly in arrival order, because a
 * join or a first private send waits on a policy check and what follows must not overtake it.
 */
export class RealtimeSocket implements ChannelHost {
  private readonly channels = new Map<string, Channel>();
  private queue: Promise<void> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly core: RealtimeCore,
    private readonly ws: WebSocket,
    readonly vsn: Vsn,
    readonly connectCaller: Caller,
    readonly headers: IncomingHttpHeaders,
  ) {
    ws.on("message", (data, isBinary) => {
      this.touch();
      this.queue = this.queue.then(() => this.receive(data, isBinary)).catch((error: unknown) => {
        core.log(`[realtime] frame failed: ${(error as Error).stack ?? error}`);
      });
    });
    ws.on("close", () => this.closeChannels());
    ws.on("error", () => ws.terminate());
    this.touch();
  }

  send(frame: Frame): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(encodeText(this.vsn, frame));
  }

  sendBinary(data: Buffer): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data, { binary: true });
  }

  forget(channel: Channel): void {
    if (this.channels.get(channel.topic) === channel) this.channels.delete(channel.topic);
  }

  get channelCount(): number {
    return this.channels.size;
  }

  /** Phoenix's `disconnect`: the channels stop and the socket closes normally; frames still queued are dropped. */
  disconnect(): void {
    this.closeChannels();
    this.ws.close(1000);
  }

  terminate(): void {
    this.closeChannels();
    this.ws.terminate();
  }

  private async receive(data: RawData, isBinary: boolean): Promise<void> {
    // A socket that is closing answers nothing: a flood queued behind a disconnect costs no more work.
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (isBinary) {
      if (this.vsn !== "2.0.0") return;
      const push = decodeUserBroadcastPush(bytes);
      const channel = this.channels.get(push.topic);
      if (!channel || channel.joinRef !== push.joinRef) return this.unmatched({ joinRef: push.joinRef, ref: push.ref, topic: push.topic });
      return channel.handleUserBroadcast(push);
    }
    const frame = decodeText(this.vsn, bytes.toString("utf8"));
    if (frame.topic === "phoenix" && frame.event === "heartbeat") {
      return this.send({ joinRef: null, ref: frame.ref, topic: "phoenix", event: "phx_reply", payload: { status: "ok", response: {} } });
    }
    if (frame.event === "phx_join") return this.join(frame);
    const channel = this.channels.get(frame.topic);
    if (!channel) return this.unmatched(frame);
    return channel.handle(frame);
  }

  private async join(frame: Frame): Promise<void> {
    // A second join of the same topic replaces the first, which is closed (Phoenix "duplicate join").
    const previous = this.channels.get(frame.topic);
    if (previous) {
      this.send({ joinRef: previous.joinRef, ref: previous.joinRef, topic: previous.topic, event: "phx_close", payload: {} });
      previous.close();
    }
    const channel = await Channel.join(this.core, this, frame);
    if (!channel) return;
    if (this.ws.readyState !== WebSocket.OPEN) return channel.close();
    this.channels.set(frame.topic, channel);
  }

  /** Phoenix's answer to a push on a topic this socket has not joined. */
  private unmatched(frame: Pick<Frame, "joinRef" | "ref" | "topic">): void {
    this.send({ joinRef: frame.joinRef, ref: frame.ref, topic: frame.topic, event: "phx_reply", payload: { status: "error", response: { reason: "unmatched topic" } } });
  }

  private closeChannels(): void {
    clearTimeout(this.idleTimer);
    for (const channel of [...this.channels.values()]) channel.close();
  }

  private touch(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.terminate(), IDLE_TIMEOUT_MS);
    this.idleTimer.unref();
  }
}
