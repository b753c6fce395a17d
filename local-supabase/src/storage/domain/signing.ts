import { SignJWT } from "jose";
import { LEGACY_ONLY, verifyJwt, type JwtClaims } from "../../shared/jwt.ts";
import { asCaller, type Scope } from "../caller.ts";
import { ERRORS } from "../errors.ts";
import { joseMessage } from "../jwt-errors.ts";
import { canUpload } from "./upload.ts";
import { findObject } from "./rows.ts";

const DOWNLOAD = "download";
const UPLOAD = "upload";

/**
 * Signed as storage-api signs: HS256 with the project secret, a header of `alg` alone (no `typ`), the
 * claims given and then `iat`, `exp` (docs/supabase-behaviour.md#signed-urls).
 */
function signToken(claims: JwtClaims, expiresIn: number): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...claims, iat, exp: iat + expiresIn })
    .setProtectedHeader({ alg: "HS256" })
    .sign(new TextEncoder().encode(LEGACY_ONLY.secret));
}

/**
 * A download URL needs the row to be visible to the caller (SELECT policy). A rendition's options are
 * sealed in the token as `transformations` (and `format`), so the holder cannot change them, and the URL
 * points at `/render/image/sign/` (docs/supabase-behaviour.md#image-transformations).
 */
export async function signObjectUrl(
  scope: Scope,
  bucketId: string,
  name: string,
  expiresIn: number,
  rendition?: { transformations: string; format: string },
): Promise<{ signedURL: string }> {
  await asCaller(scope, (tx) => findObject(tx, bucketId, name));
  const url = `${bucketId}/${name}`;
  // Empty claims are left out, so options that ask for nothing give the plain object URL.
  const sealed = Object.fromEntries(Object.entries(rendition ?? {}).filter(([, value]) => value));
  const path = sealed.transformations ? "render/image" : "object";
  return { signedURL: `/${path}/sign/${url}?token=${await signToken({ ...sealed, url, scope: DOWNLOAD }, expiresIn)}` };
}

/** Batch signing reports a per-path error instead of failing the request (docs/supabase-behaviour.md#signed-urls). */
export async function signObjectUrls(scope: Scope, bucketId: string, paths: string[], expiresIn: number) {
  const visible = await asCaller(scope, (tx) =>
    tx.query<{ name: string }>("select name from storage.objects where bucket_id = $1 and name = any($2)", [bucketId, paths]),
  );
  const names = new Set(visible.rows.map((row) => row.name));
  return Promise.all(paths.map(async (path) => {
    if (!names.has(path)) return { error: "Either the object does not exist or you do not have access to it", path, signedURL: null };
    const url = `${bucketId}/${path}`;
    return { error: null, path, signedURL: `/object/sign/${url}?token=${await signToken({ url, scope: DOWNLOAD }, expiresIn)}` };
  }));
}

/** A signed upload URL requires the caller's INSERT (or upsert) permission now; valid for two hours. */
export async function signUploadUrl(scope: Scope, bucketId: string, name: string, upsert: boolean) {
  await canUpload(scope, { bucketId, objectName: name, upsert, owner: scope.caller.owner }, {}, undefined);
  const url = `${bucketId}/${name}`;
  const token = await signToken({ owner: scope.caller.owner, url, upsert, scope: UPLOAD }, 2 * 60 * 60);
  return { url: `/object/upload/sign/${url}?token=${token}`, token };
}

export interface VerifiedToken extends JwtClaims {
  url: string;
  /** Tokens storage-api issues always expire; one signed elsewhere without `exp` is valid forever there too. */
  exp?: number;
  owner?: string;
  upsert?: boolean;
}

/** Signature, scope, object binding, expiry — in storage-api's order and with its errors (docs/supabase-behaviour.md#signed-urls). */
export async function verifyObjectToken(token: string, bucketId: string, name: string, scope: typeof DOWNLOAD | typeof UPLOAD): Promise<VerifiedToken> {
  let claims: JwtClaims;
  try {
    // Verification checks the expiry too, so an expired token is InvalidJWT, as storage-api's jose makes it.
    claims = await verifyJwt(token, LEGACY_ONLY);
  } catch (error) {
    throw ERRORS.invalidJwt(joseMessage(error));
  }
  const scoped = scope === UPLOAD
    ? claims.scope === UPLOAD || (claims.scope === undefined && typeof claims.upsert === "boolean")
    : claims.scope === DOWNLOAD || (claims.scope === undefined && claims.upsert === undefined);
  if (!scoped) throw ERRORS.invalidSignature(`Token is not scoped for ${scope}`);
  if (claims.url !== `${bucketId}/${name}`) throw ERRORS.invalidSignature();
  return claims as VerifiedToken;
}
