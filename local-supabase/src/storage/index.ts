import { join } from "node:path";
import type { PlatformContext, Service } from "../service-contract.ts";
import { BodySource } from "./body-source.ts";
import { ANONYMOUS, resolveCaller } from "./caller.ts";
import { ERRORS, renderError, StorageError } from "./errors.ts";
import { FileBackend } from "./file-backend.ts";
import { matchRoute, type Route } from "./router.ts";
import type { StorageContext } from "./domain/rows.ts";
import { bucketRoutes } from "./routes/buckets.ts";
import { manageRoutes } from "./routes/manage.ts";
import { infoRoutes, readObjectRoutes, uploadRoutes } from "./routes/objects.ts";
import { signRoutes } from "./routes/sign.ts";
import { renderImageRoutes } from "./routes/render-image.ts";
import { ImageCache } from "./image-cache.ts";

// Static prefixes before the `/object/:bucket/*` catch-alls (router.ts).
const ROUTES: Route[] = [...bucketRoutes, ...signRoutes, ...infoRoutes, ...manageRoutes, ...readObjectRoutes, ...uploadRoutes];

/** After a failed request, read at most this much of an unread body before giving up on the connection. */
const DRAIN_CAP = 64 * 1024 * 1024;

/** `/storage/v1` — storage-api's HTTP surface over PGlite and a directory of files (see README.md). */
export function createStorageService(context: PlatformContext): Service {
  const backend = new FileBackend(join(context.dataDir, "storage"));
  const storage: StorageContext = { platform: context, backend };
  // Renditions sit beside the objects; transformations off means the render routes do not exist.
  const cache = new ImageCache(join(context.dataDir, "renditions"));
  const renderRoutes = context.config.storage.imageTransformation ? renderImageRoutes(cache) : [];
  const routes = [...renderRoutes, ...ROUTES];
  const ready = backend.init();
  // Once at start-up: drop renditions of objects deleted or replaced before now (persistent data directories).
  void ready.then(() => cache.prune(async (bucket, version) => (await backend.size(bucket, version)) !== null)).catch((error) => context.log(`[storage] rendition cache prune: ${error}`));

  return {
    async handle(req, res, routed) {
      await ready;
      const source = new BodySource(req);
      const method = req.method ?? "GET";
      try {
        const match = matchRoute(routes, method, routed.path);
        if (!match) throw ERRORS.routeNotFound(method, routed.path + routed.url.search);
        const { route, params } = match;
        if (route.auth === "authorizationHeader" && !routed.bearer) throw ERRORS.validation("headers must have required property 'authorization'");
        const caller = route.auth === "none" ? ANONYMOUS : await resolveCaller(routed.bearer, route.auth === "allowInvalidJwt", context.keys);
        const scope = { db: context.db, caller, req, path: routed.path, operation: route.operation };
        await route.handle({ req, res, url: routed.url, params, scope, storage, source });
      } catch (error) {
        await settleBody(req, res, source);
        renderError(res, error, context.log);
        if (error instanceof StorageError && error.code === "InternalError") context.log(`[storage] ${method} ${routed.path}: ${error.message}`);
      }
    },
    async close() {
      await backend.close();
    },
  };
}

/**
 * A request that failed before its body was read (too large, refused, bad key) still has bytes in
 * flight. Reading them lets the client receive the error; past the cap the connection is closed.
 */
async function settleBody(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse, source: BodySource): Promise<void> {
  if (source.done || req.readableEnded) return;
  const ended = await source.drain(DRAIN_CAP);
  if (!ended && !res.headersSent) {
    res.setHeader("Connection", "close");
    res.once("finish", () => req.socket.destroy());
  }
}
