import { header } from "../../shared/request-auth.ts";
import { route, type Route, type RouteRequest } from "../router.ts";
import { renderObject } from "../render.ts";
import { infoBody, locateForRead, type ReadMode } from "../domain/read.ts";
import { uploadObject } from "../domain/upload.ts";
import { send } from "./body.ts";

/** How each read form authorises: `/authenticated/` requires the header, the bare form takes anon, `/public/` reads no JWT. */
const AUTH = { authenticated: "authorizationHeader", public: "none", optional: "allowInvalidJwt" } as const;

/** Reads: `/object/{authenticated,public}/…` and the bare form, GET and HEAD (docs/supabase-behaviour.md#downloads-and-info). */
function readRoutes(prefix: string, mode: ReadMode): Route[] {
  const auth = AUTH[mode];
  const serve = (head: boolean) => async (r: RouteRequest) => {
    const row = await locateForRead(r.scope, r.params.bucket, r.params["*"], mode);
    await renderObject(r.req, r.res, r.storage.backend, row, { download: r.url.searchParams.get("download"), head });
  };
  return [
    route("GET", `${prefix}/:bucket/*`, auth, "storage.object.get", serve(false)),
    route("HEAD", `${prefix}/:bucket/*`, auth, "storage.object.head", serve(true)),
  ];
}

function infoRoute(prefix: string, mode: ReadMode): Route {
  const auth = AUTH[mode];
  return route("GET", `${prefix}/:bucket/*`, auth, "storage.object.info", async (r) => {
    const row = await locateForRead(r.scope, r.params.bucket, r.params["*"], mode);
    send(r, 200, infoBody(row));
  });
}

/** Upload: POST creates (upsert only with `x-upsert: true`), PUT always upserts (docs/supabase-behaviour.md#uploads). */
function uploadRoute(method: "POST" | "PUT"): Route {
  return route(method, "/object/:bucket/*", "jwt", method === "POST" ? "storage.object.upload" : "storage.object.update", async (r) => {
    const upsert = method === "PUT" || header(r.req, "x-upsert") === "true";
    const result = await uploadObject(r.storage, r.scope, r.req, r.source, {
      bucketId: r.params.bucket,
      objectName: r.params["*"],
      upsert,
      owner: r.scope.caller.owner,
    });
    send(r, 200, result);
  });
}

export const infoRoutes: Route[] = [
  infoRoute("/object/info/authenticated", "authenticated"),
  infoRoute("/object/info/public", "public"),
  infoRoute("/object/info", "optional"),
];

export const readObjectRoutes: Route[] = [
  ...readRoutes("/object/authenticated", "authenticated"),
  ...readRoutes("/object/public", "public"),
  ...readRoutes("/object", "optional"),
];

export const uploadRoutes: Route[] = [uploadRoute("POST"), uploadRoute("PUT")];
