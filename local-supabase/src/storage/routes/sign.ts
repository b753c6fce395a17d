import { header } from "../../shared/request-auth.ts";
import { asSuperuser } from "../caller.ts";
import { ERRORS } from "../errors.ts";
import { renderObject } from "../render.ts";
import { route, type Route, type RouteRequest } from "../router.ts";
import { findObject } from "../domain/rows.ts";
import { signObjectUrl, signObjectUrls, signUploadUrl, verifyObjectToken } from "../domain/signing.ts";
import { uploadObject } from "../domain/upload.ts";
import { readTransformOptions, transformationClaim, type TransformOptions } from "../transform-options.ts";
import { jsonBody, optionalInt, requireNameList, send } from "./body.ts";

function expiresIn(body: Record<string, unknown>): number {
  const value = optionalInt(body.expiresIn, "body/expiresIn", 1);
  if (value === undefined) throw ERRORS.validation("body must have required property 'expiresIn'");
  return value;
}

function transformBody(value: unknown): TransformOptions {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw ERRORS.validation("body/transform must be object");
  return readTransformOptions(value as Record<string, unknown>, "body/transform");
}

/** The `token` query parameter, which storage-api's route schema requires. */
function queryToken(r: RouteRequest): string {
  const value = r.url.searchParams.get("token");
  if (value === null) throw ERRORS.validation("querystring must have required property 'token'");
  return value;
}

/** Redeeming a signed URL needs no Authorization: the token is the permission, served as superuser (docs/supabase-behaviour.md#signed-urls). */
async function redeem(r: RouteRequest, head: boolean): Promise<void> {
  const claims = await verifyObjectToken(queryToken(r), r.params.bucket, r.params["*"], "download");
  const row = await asSuperuser(r.scope, (tx) => findObject(tx, r.params.bucket, r.params["*"]));
  await renderObject(r.req, r.res, r.storage.backend, row, { download: r.url.searchParams.get("download"), expires: claims.exp === undefined ? undefined : new Date(claims.exp * 1000), head });
}

/** Signed download and upload URLs (docs/supabase-behaviour.md#signed-urls). */
export const signRoutes: Route[] = [
  route("POST", "/object/sign/:bucket", "jwt", "storage.object.sign_urls", async (r) => {
    const body = await jsonBody(r);
    send(r, 200, await signObjectUrls(r.scope, r.params.bucket, requireNameList(body, "paths"), expiresIn(body)));
  }),
  route("POST", "/object/sign/:bucket/*", "jwt", "storage.object.sign", async (r) => {
    const body = await jsonBody(r);
    const transform = body.transform === undefined ? {} : transformBody(body.transform);
    const seconds = expiresIn(body);
    // Without image transformations the options are dropped and the URL serves the original (docs/supabase-behaviour.md#image-transformations).
    const rendition = r.storage.platform.config.storage.imageTransformation
      ? { transformations: transformationClaim(transform), format: transform.format ?? "" }
      : undefined;
    send(r, 200, await signObjectUrl(r.scope, r.params.bucket, r.params["*"], seconds, rendition));
  }),
  route("GET", "/object/sign/:bucket/*", "none", "storage.object.get_signed", (r) => redeem(r, false)),
  route("HEAD", "/object/sign/:bucket/*", "none", "storage.object.head_signed", (r) => redeem(r, true)),
  route("POST", "/object/upload/sign/:bucket/*", "jwt", "storage.object.sign_upload", async (r) => {
    await jsonBody(r);
    send(r, 200, await signUploadUrl(r.scope, r.params.bucket, r.params["*"], header(r.req, "x-upsert") === "true"));
  }),
  route("PUT", "/object/upload/sign/:bucket/*", "none", "storage.object.upload_signed", async (r) => {
    const claims = await verifyObjectToken(queryToken(r), r.params.bucket, r.params["*"], "upload");
    // The token carries the permission checked when it was issued; the upload itself runs as superuser.
    const scope = { ...r.scope, caller: { role: "service_role", claims: { role: "service_role", sub: claims.owner }, token: null, isAuthenticated: true, owner: claims.owner } };
    const result = await uploadObject(r.storage, scope, r.req, r.source, {
      bucketId: r.params.bucket,
      objectName: r.params["*"],
      upsert: claims.upsert === true,
      owner: claims.owner,
    });
    send(r, 200, { Key: result.Key });
  }),
];
