import type { PlatformContext, Service } from "../service-contract.ts";
import { BodyTooLargeError } from "../shared/http.ts";
import type { RestContext } from "./context.ts";
import { RestError, sendRestError, toRestError } from "./errors.ts";
import { handleRead } from "./handle-read.ts";
import { handleRpc } from "./handle-rpc.ts";
import { handleWrite } from "./handle-write.ts";
import { authenticate, chooseSchema, parsePrefer } from "./request-context.ts";
import { SchemaCache } from "./schema-cache.ts";

/**
 * `/rest/v1`: the PostgREST subset postgrest-js uses (docs/supabase-behaviour.md#postgrest; README.md lists what is covered).
 * Every request is one transaction as the JWT's role, so RLS and grants make every access decision.
 */
export function createRestService(context: PlatformContext): Service {
  const cache = new SchemaCache(context.db);
  return {
    async handle(req, res, routed) {
      try {
        const target = decodePath(routed.path);
        const rest: RestContext = {
          req,
          res,
          url: routed.url,
          target,
          request: await authenticate(req, routed.bearer, routed.path, context.keys),
          schema: chooseSchema(req, context.config.api.schemas),
          prefs: parsePrefer(req),
          maxRows: context.config.api.maxRows,
          db: context.db,
          cache,
        };
        await dispatch(rest);
      } catch (error) {
        if (error instanceof BodyTooLargeError) return sendRestError(res, new RestError(413, "PGRST413", "Payload Too Large"));
        sendRestError(res, toRestError(error, routed.bearer !== null));
      }
    },
  };
}

async function dispatch(context: RestContext): Promise<void> {
  const method = context.req.method ?? "GET";
  if (context.target === "") throw new RestError(404, "PGRST205", "The local platform does not serve the OpenAPI description");
  if (context.target.startsWith("rpc/")) {
    if (!["GET", "HEAD", "POST"].includes(method)) throw notAllowed(method);
    return handleRpc(context, context.target.slice(4));
  }
  if (method === "GET" || method === "HEAD") return handleRead(context);
  if (method === "POST" || method === "PATCH" || method === "DELETE") return handleWrite(context);
  throw notAllowed(method);
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path.replace(/^\/+/, "").replace(/\/+$/, ""));
  } catch {
    throw new RestError(400, "PGRST100", `Invalid path: ${path}`);
  }
}

const notAllowed = (method: string) => new RestError(405, "PGRST117", `Unsupported HTTP method: ${method}`);
