import { request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { sendGatewayTimeout, sendWorkerError } from "./errors.ts";
import { LIMIT_REASONS, type WorkerProcess } from "./worker-process.ts";

const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"]);

export interface ProxyOptions {
  /** Path the function sees: `/<name>/<sub-path>?<query>` (docs/supabase-behaviour.md#routing-and-jwt-verification). */
  path: string;
  /** Authorization after the gateway's apikey rewrite (docs/supabase-behaviour.md#apikey-to-authorization), forwarded like Kong forwards it. */
  authorization: string | undefined;
  /** No response headers within this long → 504 (docs/supabase-behaviour.md#function-limits). */
  idleTimeoutMs: number;
  /** Time already spent waiting for the worker to boot counts towards the idle timeout. */
  startedAt: number;
}

/**
 * Streams the request to the worker and the response back, buffering neither: `pipe` carries
 * back-pressure both ways, so a 1 GB upload moves through a few socket buffers at a time.
 */
export function proxyToWorker(req: IncomingMessage, res: ServerResponse, worker: WorkerProcess, options: ProxyOptions): Promise<void> {
  worker.beginRequest();
  return new Promise<void>((resolve) => {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(idleTimer);
      worker.endRequest();
      resolve();
    };
    const upstream = request({
      socketPath: worker.socketPath,
      agent: worker.agent,
      method: req.method,
      path: options.path,
      headers: forwardHeaders(req, options.authorization),
    });
    const idleTimer = setTimeout(() => {
      if (!res.headersSent) sendGatewayTimeout(req, res);
      upstream.destroy();
      finish();
    }, Math.max(0, options.idleTimeoutMs - (Date.now() - options.startedAt)));

    upstream.on("response", (answer) => {
      clearTimeout(idleTimer);
      const marked = answer.headers["x-shoebox-error"];
      if (marked === "WORKER_ERROR") {
        answer.resume();
        sendWorkerError(req, res, "WORKER_ERROR");
        return finish();
      }
      // Answered before the upload was read (hosted can hang here: docs/supabase-behaviour.md#routing-and-jwt-verification): close the connection
      // after this response so the client does not reuse a socket with unread body bytes on it.
      if (!req.complete) res.shouldKeepAlive = false;
      res.writeHead(answer.statusCode ?? 502, responseHeaders(answer.rawHeaders));
      answer.pipe(res);
      answer.on("end", finish);
      // The worker died mid-response (limit or crash): nothing sensible can follow the headers already sent.
      answer.on("aborted", () => res.destroy());
      answer.on("error", () => res.destroy());
    });
    upstream.on("error", async () => {
      clearTimeout(idleTimer);
      if (finished) return;
      // The worker is gone or going: wait briefly for its exit so the answer names the right cause.
      await Promise.race([worker.exited, new Promise((done) => setTimeout(done, 2000))]);
      if (!res.headersSent) {
        sendWorkerError(req, res, worker.endReason && LIMIT_REASONS.has(worker.endReason) ? "WORKER_LIMIT" : "WORKER_ERROR");
      } else res.destroy();
      finish();
    });
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
      finish();
    });
    req.pipe(upstream);
  });
}

/** The request headers the worker gets: hop-by-hop ones dropped, Authorization as the gateway rewrote it, X-Forwarded-*. */
export function forwardHeaders(req: IncomingMessage, authorization: string | undefined): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name)) headers[name] = value;
  if (authorization === undefined) delete headers.authorization;
  else headers.authorization = authorization;
  const client = req.socket.remoteAddress ?? "127.0.0.1";
  headers["x-forwarded-for"] = req.headers["x-forwarded-for"] ? `${req.headers["x-forwarded-for"]}, ${client}` : client;
  headers["x-forwarded-proto"] = "http";
  if (req.headers.host) headers["x-forwarded-host"] = req.headers.host;
  return headers;
}

/** The worker's response headers minus hop-by-hop ones and the host's own `x-shoebox-*` markers. */
export function responseHeaders(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (HOP_BY_HOP.has(name) || name.startsWith("x-shoebox-")) continue;
    out.push(raw[i], raw[i + 1]);
  }
  return out;
}
