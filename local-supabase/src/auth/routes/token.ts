import { AuthError } from "../errors.ts";
import { verifyPassword } from "../password.ts";
import { refreshSession } from "../refresh.ts";
import { normalizeEmail, optionalString, readObject, userAgent, type AuthRoute } from "../request.ts";
import { sessionResponse, startSession } from "../tokens.ts";
import { redeemAuthCode } from "../recovery.ts";
import { findUserByEmail, findUserById, recordSignIn } from "../users.ts";

/** POST /token?grant_type=password|refresh_token|pkce (docs/supabase-behaviour.md#auth-requests, #auth-routes). Other grants are not emulated. */
export const token: AuthRoute = async (request) => {
  const grantType = request.routed.url.searchParams.get("grant_type");
  const body = await readObject(request);
  // Password, refresh and PKCE grants share one bucket per IP, `token_refresh` (GoTrue's Token limiter).
  if (grantType === "password" || grantType === "refresh_token" || grantType === "pkce") request.limiter.take("tokenRefresh", request.req);
  if (grantType === "pkce") return { status: 200, body: await pkceGrant(request, body) };
  if (grantType === "password") return { status: 200, body: await passwordGrant(request, body) };
  if (grantType === "refresh_token") {
    const presented = optionalString(body, "refresh_token");
    if (!presented) throw new AuthError("refresh_token_not_found");
    return { status: 200, body: await refreshSession(request.context, presented) };
  }
  // GoTrue answers unknown grants with this odd pairing of code and message (docs/supabase-behaviour.md#auth-errors).
  throw new AuthError("invalid_credentials", "unsupported_grant_type");
};

async function passwordGrant(request: Parameters<AuthRoute>[0], body: Record<string, unknown>) {
  const { db, config } = request.context;
  const email = optionalString(body, "email");
  const password = optionalString(body, "password");
  if (!email || !password) throw new AuthError("invalid_credentials");
  let address: string;
  try {
    address = normalizeEmail(email);
  } catch {
    throw new AuthError("invalid_credentials");
  }
  const user = await db.asSuperuser((tx) => findUserByEmail(tx, address));
  // Checked outside any transaction: scrypt takes tens of milliseconds and PGlite serialises transactions.
  if (!user || !(await verifyPassword(password, user.encrypted_password))) throw new AuthError("invalid_credentials");
  if (config.auth.emailEnableConfirmations && !user.email_confirmed_at) throw new AuthError("email_not_confirmed");
  if (user.banned_until && user.banned_until.getTime() > Date.now()) throw new AuthError("user_banned");

  return db.asSuperuser(async (tx) => {
    const signedIn = await recordSignIn(tx, user.id);
    await tx.query("update auth.identities set last_sign_in_at = now() where user_id = $1 and provider = 'email'", [user.id]);
    const { sessionId, refreshToken } = await startSession(tx, user.id, "password", userAgent(request));
    return sessionResponse(tx, request.context, signedIn, sessionId, refreshToken);
  });
}

/**
 * grant_type=pkce (auth-js `exchangeCodeForSession`): the auth code from a followed link plus the
 * verifier whose hash the client sent when it asked for the mail. The session's amr is how the flow
 * began (`recovery`), which the app reads as "let this user choose a new password".
 */
async function pkceGrant(request: Parameters<AuthRoute>[0], body: Record<string, unknown>) {
  const authCode = optionalString(body, "auth_code");
  const verifier = optionalString(body, "code_verifier");
  if (!authCode || !verifier) throw new AuthError("validation_failed", "invalid request: both auth code and code verifier should be non-empty");
  return request.context.db.asSuperuser(async (tx) => {
    const { userId, method } = await redeemAuthCode(tx, authCode, verifier);
    const user = await findUserById(tx, userId);
    if (!user) throw new AuthError("user_not_found");
    const { sessionId, refreshToken } = await startSession(tx, user.id, method === "recovery" ? "recovery" : "otp", userAgent(request));
    return sessionResponse(tx, request.context, user, sessionId, refreshToken);
  });
}
