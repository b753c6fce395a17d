import type { IncomingMessage, ServerResponse } from "node:http";
import { applyCors } from "../shared/cors.ts";

/** The runtime's error vocabulary (docs/supabase-behaviour.md#routing-and-jwt-verification), rendered only here. */
export type WorkerErrorCode = "BOOT_ERROR" | "WORKER_ERROR" | "WORKER_LIMIT" | "INTERNAL";

const WORKER_ERRORS: Record<WorkerErrorCode, { status: number; body: Record<string, string> }> = {
  BOOT_ERROR: { status: 503, body: { code: "BOOT_ERROR", message: "Worker failed to boot (please check logs)" } },
  WORKER_ERROR: { status: 500, body: { code: "WORKER_ERROR", message: "Function exited due to an error (please check logs)" } },
  WORKER_LIMIT: {
    status: 546,
    body: { code: "WORKER_LIMIT", message: "Worker failed to respond due to a resource limit (please check logs)" },
  },
  INTERNAL: { status: 500, body: { code: "Internal Server Error", message: "Request failed due to an internal server error" } },
};

/** Thrown by the pool when a worker exits before it serves (syntax error, missing module, no Deno.serve). */
export class BootError extends Error {}

// Host-made answers carry the platform's CORS headers so browser code can read the status; whether the
// hosted gateway adds them to these errors is UNCONFIRMED.
function send(req: IncomingMessage, res: ServerResponse, status: number, contentType: string, text: string): void {
  applyCors(req, res);
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": String(Buffer.byteLength(text)) });
  res.end(text);
}

export function sendWorkerError(req: IncomingMessage, res: ServerResponse, code: WorkerErrorCode, trace?: string): void {
  const { status, body } = WORKER_ERRORS[code];
  send(req, res, status, "application/json", JSON.stringify(trace === undefined ? body : { ...body, trace }));
}

/** Unknown function: plain text, as local serve answers (docs/supabase-behaviour.md#routing-and-jwt-verification). */
export function sendFunctionNotFound(req: IncomingMessage, res: ServerResponse): void {
  send(req, res, 404, "text/plain", "Function not found");
}

/** verify_jwt failures: `{"msg": …}` with 401 (docs/supabase-behaviour.md#routing-and-jwt-verification). */
export function sendJwtError(req: IncomingMessage, res: ServerResponse, msg: string): void {
  send(req, res, 401, "application/json", JSON.stringify({ msg }));
}

/** No response within the idle timeout: the gateway gives up with 504 (docs/supabase-behaviour.md#function-limits; Kong's wording). */
export function sendGatewayTimeout(req: IncomingMessage, res: ServerResponse): void {
  send(req, res, 504, "application/json", JSON.stringify({ message: "The upstream server is timing out" }));
}
