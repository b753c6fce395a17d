import { request, ServerResponse, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { sendGatewayTimeout, sendWorkerError } from "./errors.ts";
import { LIMIT_REASONS, type WorkerProcess } from "./worker-process.ts";
import { forwardHeaders, responseHeaders } from "./proxy.ts";
import type { ProxyOptions } from "./proxy.ts";

/**
 * An HTTP response written straight onto an upgrade request's socket, so the gateway's own answers (401,
 * 404, 503, 546 …) and a function that declines the upgrade reach a WebSocket client as ordinary HTTP
 * responses, as they would from the hosted gateway. The connection closes after it.
 */
export function responseOnSocket(req: IncomingMessage, socket: Duplex): ServerResponse {
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket as Socket);
  res.on("finish", () => {
    res.detachSocket(socket as Socket);
    socket.end();
  });
  return res;
}

/**
 * Carries a WebSocket handshake to the worker and, once the function's `Deno.upgradeWebSocket` answers
 * 101, relays the raw bytes both ways: frames (text and binary), pings and close frames pass through
 * unchanged, so close codes and reasons reach each side as the other sent them.
 *
 * The HTTP request counts as finished at the 101 (the worker may then retire and be dropped unless the
 * function keeps an `EdgeRuntime.waitUntil` promise open for the socket,
 * docs/supabase-behaviour.md#edge-function-websockets). When the
 * worker ends — a limit, a crash, shutdown — its side of the relay closes and the client's connection is
 * dropped without a close frame, which a client reports as 1006 (abnormal closure), as a connection to a
 * terminated hosted worker ends.
 */
export function proxyUpgradeToWorker(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  /** From responseOnSocket: how the client is answered if no upgrade happens. */
  res: ServerResponse,
  worker: WorkerProcess,
  options: ProxyOptions,
): Promise<void> {
  worker.beginRequest();
  return new Promise<void>((resolve) => {
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      clearTimeout(idleTimer);
      worker.endRequest();
      resolve();
    };
    const upstream = request({
      socketPath: worker.socketPath,
      // A connection of its own: after the upgrade it belongs to this socket and never returns to a pool.
      agent: false,
      method: req.method,
      path: options.path,
      headers: upgradeHeaders(req, options.authorization),
    });
    const idleTimer = setTimeout(() => {
      upstream.destroy();
      if (!socket.destroyed) sendGatewayTimeout(req, res);
      settle();
    }, Math.max(0, options.idleTimeoutMs - (Date.now() - options.startedAt)));

    upstream.on("upgrade", (answer, workerSocket, workerHead) => {
      if (socket.destroyed) {
        workerSocket.destroy();
        return settle();
      }
      res.detachSocket(socket as Socket); // the 101 is written raw: this response is never used
      socket.write(handshakeAnswer(answer));
      if (workerHead.length) socket.write(workerHead);
      if (head.length) workerSocket.write(head);
      relay(socket, workerSocket);
      settle();
    });
    // The function answered without upgrading (a 400/403 of its own, or the worker's error marker).
    upstream.on("response", (answer) => {
      clearTimeout(idleTimer);
      if (answer.headers["x-shoebox-error"] === "WORKER_ERROR") {
        answer.resume();
        sendWorkerError(req, res, "WORKER_ERROR");
        return settle();
      }
      res.writeHead(answer.statusCode ?? 502, responseHeaders(answer.rawHeaders));
      answer.pipe(res);
      answer.on("end", settle);
      answer.on("error", () => {
        socket.destroy();
        settle();
      });
    });
    upstream.on("error", async () => {
      clearTimeout(idleTimer);
      if (settled) return;
      // The worker is gone or going: wait briefly for its exit so the answer names the right cause.
      await Promise.race([worker.exited, new Promise((done) => setTimeout(done, 2000))]);
      if (!socket.destroyed) {
        const limit = worker.endReason !== null && LIMIT_REASONS.has(worker.endReason);
        sendWorkerError(req, res, limit ? "WORKER_LIMIT" : "WORKER_ERROR");
      }
      settle();
    });
    socket.on("close", () => {
      if (!settled) {
        upstream.destroy();
        settle();
      }
    });
    socket.on("error", () => socket.destroy());
    upstream.end();
  });
}

/** The handshake headers the function needs (`Upgrade`, `Connection`, `Sec-WebSocket-*`) on top of the usual forwarding. */
function upgradeHeaders(req: IncomingMessage, authorization: string | undefined): IncomingHttpHeaders {
  return { ...forwardHeaders(req, authorization), connection: "Upgrade", upgrade: req.headers.upgrade ?? "websocket" };
}

/** The worker's 101 as the client gets it: the function's headers, including its chosen subprotocol. */
function handshakeAnswer(answer: IncomingMessage): string {
  const lines = [`HTTP/1.1 101 Switching Protocols`];
  for (let i = 0; i < answer.rawHeaders.length; i += 2) {
    const name = answer.rawHeaders[i];
    if (name.toLowerCase().startsWith("x-shoebox-")) continue;
    lines.push(`${name}: ${answer.rawHeaders[i + 1]}`);
  }
  return `${lines.join("\r\n")}\r\n\r\n`;
}

/** Pipes both ways; either side ending or failing tears down the other at once. */
function relay(client: Duplex, worker: Duplex): void {
  const teardown = () => {
    client.destroy();
    worker.destroy();
  };
  client.on("error", teardown);
  worker.on("error", teardown);
  client.on("close", teardown);
  worker.on("close", teardown);
  client.pipe(worker);
  worker.pipe(client);
}
