import type { IncomingMessage, ServerResponse } from "node:http";
import type { RoutedRequest } from "../service-contract.ts";
import { BodyTooLargeError, readBody, sendEmpty, sendJson } from "../shared/http.ts";
import { canWrite } from "./authorization.ts";
import type { RealtimeCore } from "./channel.ts";
import type { BroadcastMessage } from "./registry.ts";
import { BINARY_ENCODING, JSON_ENCODING } from "./serializer.ts";
import { checkToken, type Caller } from "./token.ts";

interface Outgoing {
  topic: string;
  isPrivate: boolean;
  message: BroadcastMessage;
}

const SINGLE = /^\/api\/broadcast\/([^/]+)\/events\/([^/]+)$/;
const BODY_LIMIT = 16 * 1024 * 1024;
const SIZE_ERROR = "Payload size exceeds tenant limit";

/**
 * REST broadcast (docs/supabase-behaviour.md#rest-broadcast): the batch `POST /api/broadcast` and the single
 * `POST /api/broadcast/<topic>/events/<event>` that `channel.httpSend()` uses. Both answer 202 with no
 * body; private messages whose sender fails the INSERT policy are dropped silently (still 202). The
 * socket's `?apikey=…&vsn=…` that realtime-js leaks into the URL is ignored.
 */
export async function handleBroadcastApi(core: RealtimeCore, req: IncomingMessage, res: ServerResponse, routed: RoutedRequest): Promise<void> {
  const single = SINGLE.exec(routed.path);
  if (req.method !== "POST" || (routed.path !== "/api/broadcast" && !single)) return sendJson(res, 404, { message: "Not Found" });
  // Authorization: Bearer <JWT>, else the apikey (the gateway's mapping, docs/supabase-behaviour.md#apikey-to-authorization).
  const check = await checkToken(routed.bearer, core.keys);
  if (!check.ok) return sendJson(res, 401, { message: "Unauthorized" });

  let body: Buffer;
  try {
    body = await readBody(req, BODY_LIMIT);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return sendJson(res, 422, { errors: { payload: [SIZE_ERROR] } });
    throw error;
  }
  const parsed = single ? parseSingle(req, body, single, routed.url) : parseBatch(body);
  if ("status" in parsed) return sendJson(res, parsed.status, parsed.body);
  if (parsed.some(({ message }) => message.bytes.length > core.plan.realtimePayloadBytes)) {
    return sendJson(res, 422, { errors: { messages: [SIZE_ERROR] } });
  }

  // The batch is refused whole if the project is already over its rate or the batch would take it over (docs/supabase-behaviour.md#rest-broadcast).
  const { rate } = core.registry;
  if (rate.current() > rate.limit) return sendJson(res, 429, { message: "You have exceeded your rate limit" });
  if (rate.current() + parsed.length > rate.limit) return sendJson(res, 429, { message: "Too many messages to broadcast, please reduce the batch size" });

  // Only a message that is sent counts against the rate: private ones the caller may not write are
  // dropped without a trace, so a stranger posting to someone's private topic costs the project nothing.
  const allowed = await writableTopics(core, check.caller, parsed, req);
  for (const { topic, isPrivate, message } of parsed) {
    if (isPrivate && !allowed.has(topic)) continue;
    rate.add(1);
    core.registry.publish(topic, isPrivate, message);
  }
  sendEmpty(res, 202);
}

/** The private topics this caller may write to, one policy check per topic. */
async function writableTopics(core: RealtimeCore, caller: Caller, messages: Outgoing[], req: IncomingMessage): Promise<Set<string>> {
  const allowed = new Set<string>();
  for (const topic of new Set(messages.filter((m) => m.isPrivate).map((m) => m.topic))) {
    if (await canWrite(core.db, caller, topic, "broadcast", req.headers).catch(() => false)) allowed.add(topic);
  }
  return allowed;
}

type Refusal = { status: number; body: unknown };

function parseBatch(body: Buffer): Outgoing[] | Refusal {
  let input: unknown;
  try {
    input = JSON.parse(body.toString("utf8"));
  } catch {
    return { status: 422, body: { errors: { messages: ["can't be blank"] } } };
  }
  const list = (input as { messages?: unknown })?.messages;
  if (!Array.isArray(list) || list.length === 0) return { status: 422, body: { errors: { messages: ["can't be blank"] } } };
  const out: Outgoing[] = [];
  for (const item of list as Record<string, unknown>[]) {
    if (!item || typeof item.topic !== "string" || !item.topic || typeof item.event !== "string") {
      return { status: 422, body: { errors: { messages: [{ topic: ["can't be blank"], event: ["can't be blank"] }] } } };
    }
    const id = typeof item.id === "string" ? item.id : undefined;
    const bytes = Buffer.from(JSON.stringify(item.payload ?? {}));
    out.push({ topic: item.topic, isPrivate: item.private === true, message: { event: item.event, encoding: JSON_ENCODING, bytes, relay: "text", id } });
  }
  return out;
}

function parseSingle(req: IncomingMessage, body: Buffer, match: RegExpExecArray, url: URL): Outgoing[] | Refusal {
  const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  const topic = decodeURIComponent(match[1]);
  const event = decodeURIComponent(match[2]);
  const isPrivate = url.searchParams.get("private") === "true";
  if (type === "application/octet-stream") {
    return [{ topic, isPrivate, message: { event, encoding: BINARY_ENCODING, bytes: body, relay: "text" } }];
  }
  if (type !== "application/json") {
    return { status: 415, body: { error: "Unsupported Media Type. Use application/json or application/octet-stream" } };
  }
  try {
    JSON.parse(body.toString("utf8"));
  } catch {
    return { status: 422, body: { errors: { payload: ["is invalid"] } } };
  }
  return [{ topic, isPrivate, message: { event, encoding: JSON_ENCODING, bytes: body, relay: "text" } }];
}
