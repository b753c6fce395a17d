import { asSuperuser } from "../caller.ts";
import { ERRORS } from "../errors.ts";
import type { ImageCache } from "../image-cache.ts";
import { renderImage } from "../render-image.ts";
import { route, type Route, type RouteRequest } from "../router.ts";
import { locateForRead, type ReadMode } from "../domain/read.ts";
import { findObject } from "../domain/rows.ts";
import { verifyObjectToken } from "../domain/signing.ts";
import { parseTransformationClaim, queryTransformOptions } from "../transform-options.ts";

/**
 * `/render/image/{authenticated,public,sign}/…` (docs/supabase-behaviour.md#image-transformations).
 * Only registered when `[storage.image_transformation] enabled`; otherwise these paths fall through to
 * the route-not-found 404, as storage-api answers without transformations.
 */
export function renderImageRoutes(cache: ImageCache): Route[] {
  const read = (mode: ReadMode) => async (r: RouteRequest) => {
    // Options are checked before the object is looked up, as a route schema is.
    const options = queryTransformOptions(r.url.searchParams);
    const row = await locateForRead(r.scope, r.params.bucket, r.params["*"], mode);
    await renderImage(r.req, r.res, r.storage.backend, cache, { row, options, download: r.url.searchParams.get("download") });
  };
  return [
    route("GET", "/render/image/authenticated/:bucket/*", "authorizationHeader", "storage.render.image_authenticated", read("authenticated")),
    route("GET", "/render/image/public/:bucket/*", "none", "storage.render.image_public", read("public")),
    // The signed form: the options are the ones sealed in the token; query options are ignored.
    route("GET", "/render/image/sign/:bucket/*", "none", "storage.render.image_sign", async (r) => {
      const token = r.url.searchParams.get("token");
      if (token === null) throw ERRORS.validation("querystring must have required property 'token'");
      const claims = await verifyObjectToken(token, r.params.bucket, r.params["*"], "download");
      const row = await asSuperuser(r.scope, (tx) => findObject(tx, r.params.bucket, r.params["*"]));
      const claim = typeof claims.transformations === "string" ? claims.transformations : "";
      await renderImage(r.req, r.res, r.storage.backend, cache, {
        row,
        options: parseTransformationClaim(claim),
        download: r.url.searchParams.get("download"),
        expires: claims.exp === undefined ? undefined : new Date(claims.exp * 1000),
      });
    }),
  ];
}
