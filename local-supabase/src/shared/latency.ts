import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

/**
 * Hosted-like latency: a hosted project answers across the internet, 20–80 ms per round trip for most
 * users, where this platform answers in well under a millisecond. With `--latency 40ms` (or
 * `SHOEBOX_LATENCY=40ms`) every API call waits that long before it is handled, so the app and the
 * benchmark can be judged as a user of a hosted project experiences them. Calls a function makes back to
 * the platform wait too, which makes a hosted function (nearer its project) look slower, not faster.
 */

/** `40ms`, `40`, `0.04s` or `0` → milliseconds; anything else is refused with the forms that work. */
export function parseLatency(text: string | undefined): number {
  if (text === undefined || text.trim() === "") return 0;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$/i.exec(text);
  if (!match) throw new Error(`Latency "${text}" is not a duration: give milliseconds such as 40ms (or 40, or 0.04s).`);
  const value = Number(match[1]) * (match[2]?.toLowerCase() === "s" ? 1000 : 1);
  return Math.round(value);
}

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;
type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Each HTTP request is handled `ms` later: its answer arrives one round trip after it was sent. */
export function delayRequests(ms: number, handle: RequestHandler): RequestHandler {
  if (ms <= 0) return handle;
  return (req, res) => {
    setTimeout(() => handle(req, res), ms);
  };
}

/**
 * A WebSocket handshake is handled `ms` later, and every chunk the client sends afterwards reaches the
 * service `ms` after it arrived, so each exchange on the socket (a Realtime join and its reply, a frame a
 * function echoes) takes one round trip. What the server sends is not delayed again.
 */
export function delayUpgrades(ms: number, handle: UpgradeHandler): UpgradeHandler {
  if (ms <= 0) return handle;
  return (req, socket, head) => {
    delayIncoming(socket, ms);
    setTimeout(() => handle(req, socket, head), ms);
  };
}

// What the socket reports about what came in, delayed together so their order is kept: data never
// arrives after the end or the close that followed it. Errors stay immediate, as without latency.
const INCOMING_EVENTS = new Set<string | symbol>(["data", "end", "close"]);

function delayIncoming(socket: Duplex, ms: number): void {
  const emit = socket.emit.bind(socket);
  socket.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (!INCOMING_EVENTS.has(event)) return emit(event, ...args);
    setTimeout(() => emit(event, ...args), ms);
    return true;
  }) as typeof socket.emit;
}
