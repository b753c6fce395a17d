import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocketServer } from "ws";
import type { RoutedRequest } from "../service-contract.ts";
import { header } from "../shared/request-auth.ts";
import type { RealtimeCore } from "./channel.ts";
import { SUPPORTED_VSN, type Vsn } from "./serializer.ts";
import { RealtimeSocket } from "./socket.ts";
import { checkToken, mapApiKey } from "./token.ts";

const STATUS_TEXT: Record<number, string> = { 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 429: "Too Many Requests" };

/** Answers the HTTP upgrade itself, as realtime does when it refuses a socket: JSON `{"error": …}` (docs/supabase-behaviour.md#realtime-connection). */
function refuse(socket: Duplex, status: number, error: string): void {
  const body = JSON.stringify({ error });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? "Error"}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * `GET /realtime/v1/websocket?apikey=…&vsn=2.0.0` (docs/supabase-behaviour.md#realtime-connection): the token is the `x-api-key` header or the
 * `apikey` query parameter (opaque keys mapped as the gateway maps them, docs/supabase-behaviour.md#apikey-to-authorization) and must be a JWT with
 * `role` and `exp`. A missing `vsn` means 1.0.0, as in Phoenix.
 */
export function acceptSocket(
  core: RealtimeCore,
  wss: WebSocketServer,
  sockets: Set<RealtimeSocket>,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  routed: RoutedRequest,
): Promise<void> | void {
  if (routed.path !== "/websocket") return refuse(socket, 404, "Not Found");
  const vsn = (routed.url.searchParams.get("vsn") ?? "1.0.0") as Vsn;
  if (!SUPPORTED_VSN.includes(vsn)) return refuse(socket, 400, `Unsupported serializer version ${vsn}`);
  // While the project is at its joins-per-second limit, realtime refuses new sockets outright (docs/supabase-behaviour.md#realtime-connection).
  if (core.joinRate.current() >= core.joinRate.limit) return refuse(socket, 429, "Too many joins per second");
  const key = header(req, "x-api-key") ?? routed.url.searchParams.get("apikey");
  return admit({ core, wss, sockets, req, socket, head }, vsn, key ? mapApiKey(key) : null);
}

/** The upgrade request as acceptSocket received it, with what serving it needs. */
interface Upgrade {
  core: RealtimeCore;
  wss: WebSocketServer;
  sockets: Set<RealtimeSocket>;
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
}

/** Verification is asynchronous (WebCrypto), so the upgrade completes once the token is checked. */
async function admit(upgrade: Upgrade, vsn: Vsn, token: string | null): Promise<void> {
  const { core, wss, sockets, req, socket, head } = upgrade;
  const check = await checkToken(token, core.keys);
  if (!check.ok) return refuse(socket, 401, check.message);
  if (socket.destroyed) return;
  wss.handleUpgrade(req, socket, head, (ws) => {
    const connection = new RealtimeSocket(core, ws, vsn, check.caller, req.headers);
    sockets.add(connection);
    ws.on("close", () => sockets.delete(connection));
  });
}
