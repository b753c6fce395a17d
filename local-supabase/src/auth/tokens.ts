import { randomBytes } from "node:crypto";
import type { Tx } from "../db/database.ts";
import type { PlatformContext } from "../service-contract.ts";
import { signUserJwt } from "../shared/jwt.ts";
import { userJson, type UserRow } from "./users.ts";

/** The `amr` method of a session: how it was started (a followed recovery link is `otp`, its PKCE code `recovery`). */
export type SignInMethod = "password" | "anonymous" | "otp" | "recovery";

/** Opaque refresh tokens; GoTrue's are short random strings too (only the database knows them). */
export function newRefreshToken(): string {
  return randomBytes(12).toString("base64url");
}

export async function insertRefreshToken(tx: Tx, userId: string, sessionId: string, parent: string | null): Promise<string> {
  const token = newRefreshToken();
  await tx.query("insert into auth.refresh_tokens (token, user_id, session_id, parent) values ($1, $2, $3, $4)", [
    token,
    userId,
    sessionId,
    parent,
  ]);
  return token;
}

/** A new row in auth.sessions, how it was signed in (for `amr`), and its first refresh token. */
export async function startSession(tx: Tx, userId: string, method: SignInMethod, userAgent: string | null) {
  const { rows } = await tx.query<{ id: string }>(
    "insert into auth.sessions (user_id, user_agent) values ($1, $2) returning id",
    [userId, userAgent],
  );
  const sessionId = rows[0].id;
  await tx.query("insert into auth.mfa_amr_claims (session_id, authentication_method) values ($1, $2)", [sessionId, method]);
  const refreshToken = await insertRefreshToken(tx, userId, sessionId, null);
  return { sessionId, refreshToken };
}

/** The session body (docs/supabase-behaviour.md#sessions-and-users), with a freshly signed access token. */
export async function sessionResponse(
  tx: Tx,
  context: PlatformContext,
  user: UserRow,
  sessionId: string,
  refreshToken: string,
): Promise<Record<string, unknown>> {
  const { rows } = await tx.query<{ method: string; timestamp: number }>(
    `select authentication_method as method, floor(extract(epoch from created_at))::int as timestamp
     from auth.mfa_amr_claims where session_id = $1 order by created_at`,
    [sessionId],
  );
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + context.config.auth.jwtExpiry;
  const accessToken = await signAccessToken(context, user, sessionId, rows, iat, exp);
  return {
    access_token: accessToken,
    token_type: "bearer",
    expires_in: context.config.auth.jwtExpiry,
    expires_at: exp,
    refresh_token: refreshToken,
    user: await userJson(tx, user),
  };
}

/**
 * Claims in GoTrue's serialization order; `aud` is a string, `email`/`phone` always present. Signed ES256
 * with the project key, as new projects do, so supabase-js `getClaims()` verifies it against the JWKS.
 */
function signAccessToken(
  context: PlatformContext,
  user: UserRow,
  sessionId: string,
  amr: { method: string; timestamp: number }[],
  iat: number,
  exp: number,
): Promise<string> {
  return signUserJwt({
    iss: `${context.url}/auth/v1`,
    sub: user.id,
    aud: user.aud || "authenticated",
    exp,
    iat,
    email: user.email ?? "",
    phone: user.phone ?? "",
    app_metadata: user.raw_app_meta_data,
    user_metadata: user.raw_user_meta_data,
    role: user.role || "authenticated",
    aal: "aal1",
    amr: amr.map(({ method, timestamp }) => ({ method, timestamp: Number(timestamp) })),
    session_id: sessionId,
    is_anonymous: user.is_anonymous,
  }, context.keys.signing);
}
