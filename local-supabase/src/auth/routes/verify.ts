import type { Tx } from "../../db/database.ts";
import { AuthError } from "../errors.ts";
import { issueAuthCode, PKCE_PREFIX, tokenHash } from "../recovery.ts";
import { allowedRedirect, withParams } from "../redirect.ts";
import { normalizeEmail, optionalString, readObject, userAgent, type AuthReply, type AuthRoute } from "../request.ts";
import { sessionResponse, startSession } from "../tokens.ts";
import { recordSignIn, type UserRow } from "../users.ts";

/** The link types the local platform mails; confirmation, invite, magic link and email change are not sent. */
const SUPPORTED_TYPES = ["recovery"];

/**
 * GET /verify — the link in a recovery mail. Implicit flow: 303 to `redirect_to` with the session in
 * the fragment (`#access_token=…&type=recovery`). PKCE: 303 to `redirect_to?code=…`, which the app
 * exchanges with its code verifier. A used, unknown or expired link goes to `redirect_to` with
 * `error_code=otp_expired`, as GoTrue sends it.
 */
export const verifyLink: AuthRoute = async (request) => {
  request.limiter.take("tokenVerifications", request.req);
  const params = request.routed.url.searchParams;
  const settings = request.context.config.auth;
  const redirectTo = allowedRedirect(settings, params.get("redirect_to"));
  const type = params.get("type") ?? "";
  const presented = params.get("token") ?? "";
  const pkce = presented.startsWith(PKCE_PREFIX);
  const where = pkce ? "query" : "fragment";
  if (!SUPPORTED_TYPES.includes(type)) {
    return seeOther(withParams(redirectTo, { error: "invalid_request", error_code: "validation_failed", error_description: "Verify requires a verification type" }, where));
  }
  return request.context.db.asSuperuser(async (tx) => {
    const user = await userWithRecoveryToken(tx, pkce ? presented.slice(PKCE_PREFIX.length) : presented, settings.emailOtpExpiry);
    if (!user) {
      return seeOther(withParams(redirectTo, { error: "access_denied", error_code: "otp_expired", error_description: "Email link is invalid or has expired" }, where));
    }
    const verified = await consumeRecoveryToken(tx, user);
    if (pkce) return seeOther(withParams(redirectTo, { code: await issueAuthCode(tx, verified, "recovery") }, "query"));
    const { sessionId, refreshToken } = await startSession(tx, verified.id, "otp", userAgent(request));
    const session = await sessionResponse(tx, request.context, verified, sessionId, refreshToken);
    return seeOther(
      withParams(redirectTo, {
        access_token: String(session.access_token),
        expires_at: String(session.expires_at),
        expires_in: String(session.expires_in),
        refresh_token: refreshToken,
        token_type: "bearer",
        type,
      }, "fragment"),
    );
  });
};

/**
 * POST /verify — auth-js `verifyOtp({ email, token, type })` with the mailed code, or
 * `verifyOtp({ token_hash, type })` with the hash from the link: answers a session, amr `otp`.
 */
export const verifyCode: AuthRoute = async (request) => {
  request.limiter.take("tokenVerifications", request.req);
  const body = await readObject(request);
  const type = optionalString(body, "type");
  if (!type || !SUPPORTED_TYPES.includes(type)) throw new AuthError("validation_failed", "Verify requires a verification type");
  const hashed = optionalString(body, "token_hash");
  const token = optionalString(body, "token");
  const email = optionalString(body, "email");
  let hash: string;
  if (hashed) hash = hashed.startsWith(PKCE_PREFIX) ? hashed.slice(PKCE_PREFIX.length) : hashed;
  else if (token && email) hash = tokenHash(normalizeEmail(email), token.trim());
  else throw new AuthError("validation_failed", "Verify requires either a token_hash, or a token and an email");

  return request.context.db.asSuperuser(async (tx) => {
    const user = await userWithRecoveryToken(tx, hash, request.context.config.auth.emailOtpExpiry);
    if (!user || (email && user.email !== normalizeEmail(email))) throw new AuthError("otp_expired");
    const verified = await consumeRecoveryToken(tx, user);
    const { sessionId, refreshToken } = await startSession(tx, verified.id, "otp", userAgent(request));
    return { status: 200, body: await sessionResponse(tx, request.context, verified, sessionId, refreshToken) };
  });
};

async function userWithRecoveryToken(tx: Tx, hash: string, lifetimeSeconds: number): Promise<UserRow | null> {
  if (!hash) return null;
  const { rows } = await tx.query<UserRow>(
    "select * from auth.users where recovery_token = $1 and recovery_sent_at + make_interval(secs => $2) > now()",
    [hash, lifetimeSeconds],
  );
  return rows[0] ?? null;
}

/** A link works once. Following it also proves the address, so an unconfirmed email becomes confirmed. */
async function consumeRecoveryToken(tx: Tx, user: UserRow): Promise<UserRow> {
  await tx.query(
    `update auth.users set recovery_token = null, email_confirmed_at = coalesce(email_confirmed_at, now()), updated_at = now()
      where id = $1`,
    [user.id],
  );
  return recordSignIn(tx, user.id);
}

function seeOther(location: string): AuthReply {
  return { status: 303, headers: { Location: location } };
}
