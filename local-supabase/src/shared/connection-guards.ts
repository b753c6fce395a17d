import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

/** Edge Functions' HTTP server (hyper) takes at most this many request headers. */
export const MAX_FUNCTION_HEADERS = 100;

const HEADERS_TOO_LARGE = (detail: string) => ({
  message: `Request Header Fields Too Large: ${detail}. Send fewer or shorter headers (cookies included).`,
});

/**
 * A keep-alive connection whose request body was not read to the end cannot carry another request:
 * the rest of the body sits in front of it. So an answer that starts before the body has arrived in
 * full (a 413, a 401 before the upload was read, any early refusal) says `Connection: close`, and Node
 * ends the connection once the answer is out; the client opens a fresh one for its next request.
 */
export function closeAfterEarlyAnswer(req: IncomingMessage, res: ServerResponse): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse["writeHead"]>) {
    if (!req.complete) this.shouldKeepAlive = false;
    return writeHead.apply(this, args);
  } as ServerResponse["writeHead"];
}

/** Answers 431 with a body that says what to change; the connection closes after it. */
export function sendTooManyHeaders(res: ServerResponse, count: number, max: number): void {
  const body = JSON.stringify(HEADERS_TOO_LARGE(`${count} headers, at most ${max} are accepted`));
  res.shouldKeepAlive = false;
  res.writeHead(431, { "Content-Type": "application/json; charset=utf-8", "Content-Length": String(Buffer.byteLength(body)) });
  res.end(body);
}

/**
 * The server's `clientError`: a request Node could not parse never reaches a service. Node's own answer
 * is an empty 400 (or an empty 431 for headers over its size limit); this one says what was wrong.
 */
export function answerClientError(error: NodeJS.ErrnoException & { bytesParsed?: number }, socket: Duplex): void {
  if (!socket.writable || (socket as Duplex & { _httpMessage?: unknown })._httpMessage) {
    socket.destroy();
    return;
  }
  const [status, text, body] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, "Request Header Fields Too Large", HEADERS_TOO_LARGE("the headers are larger than 16 KiB in total")]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT" || error.code === "ERR_HTTP_HEADERS_TIMEOUT"
        ? [408, "Request Timeout", { message: "Request Timeout: the request did not arrive in time." }]
        : [400, "Bad Request", { message: "Bad Request: the request is not valid HTTP/1.1." }];
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
  );
}
