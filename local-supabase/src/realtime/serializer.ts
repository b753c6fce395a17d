/**
 * Phoenix frames as realtime-js speaks them (docs/supabase-behaviour.md#realtime-frames): vsn 2.0.0 sends JSON arrays
 * `[join_ref, ref, topic, event, payload]` plus two binary kinds for user broadcasts; vsn 1.0.0 sends
 * JSON objects only. Every length in a binary header is ONE unsigned byte, so each string is ≤ 255 bytes.
 */
export type Vsn = "1.0.0" | "2.0.0";

export const SUPPORTED_VSN: readonly Vsn[] = ["1.0.0", "2.0.0"];

export interface Frame {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: unknown;
}

/** 0 = raw bytes, 1 = JSON text (docs/supabase-behaviour.md#realtime-frames `payload_encoding`). */
export type PayloadEncoding = 0 | 1;
export const BINARY_ENCODING = 0;
export const JSON_ENCODING = 1;

/** Kind 3: `channel.send({type:'broadcast', …})` from realtime-js over vsn 2.0.0. */
export interface UserBroadcastPush {
  joinRef: string;
  ref: string;
  topic: string;
  userEvent: string;
  metadata: string;
  encoding: PayloadEncoding;
  payload: Buffer;
}

export class FrameError extends Error {}

const KIND_USER_BROADCAST_PUSH = 3;
const KIND_USER_BROADCAST = 4;

export function decodeText(vsn: Vsn, text: string): Frame {
  const parsed: unknown = JSON.parse(text);
  if (vsn === "2.0.0") {
    if (!Array.isArray(parsed) || parsed.length !== 5) throw new FrameError("expected [join_ref, ref, topic, event, payload]");
    const [joinRef, ref, topic, event, payload] = parsed;
    return checkFrame({ joinRef, ref, topic, event, payload });
  }
  if (!parsed || typeof parsed !== "object") throw new FrameError("expected a message object");
  const { join_ref: joinRef = null, ref = null, topic, event, payload } = parsed as Record<string, unknown>;
  return checkFrame({ joinRef, ref, topic, event, payload });
}

function checkFrame(raw: Record<string, unknown>): Frame {
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  if (typeof raw.topic !== "string" || typeof raw.event !== "string") throw new FrameError("topic and event must be strings");
  return { joinRef: text(raw.joinRef), ref: text(raw.ref), topic: raw.topic, event: raw.event, payload: raw.payload ?? {} };
}

export function encodeText(vsn: Vsn, frame: Frame): string {
  if (vsn === "2.0.0") return JSON.stringify([frame.joinRef, frame.ref, frame.topic, frame.event, frame.payload]);
  return JSON.stringify({ join_ref: frame.joinRef, ref: frame.ref, topic: frame.topic, event: frame.event, payload: frame.payload });
}

/** Decodes a kind-3 frame; any other kind is a protocol error (realtime-js sends no other binary). */
export function decodeUserBroadcastPush(data: Buffer): UserBroadcastPush {
  if (data.length < 7 || data[0] !== KIND_USER_BROADCAST_PUSH) throw new FrameError(`unsupported binary frame kind ${data[0]}`);
  const [joinRefLength, refLength, topicLength, eventLength, metadataLength, encoding] = data.subarray(1, 7);
  if (encoding !== BINARY_ENCODING && encoding !== JSON_ENCODING) throw new FrameError(`unknown payload encoding ${encoding}`);
  let offset = 7;
  const take = (length: number) => {
    if (offset + length > data.length) throw new FrameError("binary frame shorter than its header says");
    const part = data.subarray(offset, offset + length).toString("utf8");
    offset += length;
    return part;
  };
  const joinRef = take(joinRefLength);
  const ref = take(refLength);
  const topic = take(topicLength);
  const userEvent = take(eventLength);
  const metadata = take(metadataLength);
  return { joinRef, ref, topic, userEvent, metadata, encoding, payload: data.subarray(offset) };
}

/**
 * Encodes a kind-4 frame, or returns null when a string does not fit its 1-byte length (the caller
 * then falls back to a JSON text frame).
 */
export function encodeUserBroadcast(topic: string, userEvent: string, metadata: string, encoding: PayloadEncoding, payload: Buffer): Buffer | null {
  const parts = [topic, userEvent, metadata].map((part) => Buffer.from(part, "utf8"));
  if (parts.some((part) => part.length > 255)) return null;
  const header = Buffer.from([KIND_USER_BROADCAST, parts[0].length, parts[1].length, parts[2].length, encoding]);
  return Buffer.concat([header, ...parts, payload]);
}
