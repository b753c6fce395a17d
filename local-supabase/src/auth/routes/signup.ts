import { randomUUID } from "node:crypto";
import { AuthError } from "../errors.ts";
import { assertStrongPassword, hashPassword } from "../password.ts";
import { normalizeEmail, optionalString, readObject, userAgent, type AuthRequest, type AuthRoute } from "../request.ts";
import { sessionResponse, startSession } from "../tokens.ts";
import { EMAIL_APP_METADATA, findUserByEmail, insertEmailIdentity, insertUser, recordSignIn, userJson } from "../users.ts";

/**
 * POST /signup (docs/supabase-behaviour.md#auth-routes): email + password sign-up, or an anonymous sign-in when the body names neither
 * an email nor a phone — that is how auth-js' `signInAnonymously()` calls it (docs/supabase-behaviour.md#auth-requests).
 */
export const signup: AuthRoute = async (request) => {
  const settings = request.context.config.auth;
  const body = await readObject(request);
  if (!settings.enableSignup) throw new AuthError("signup_disabled");
  const data = userMetadata(body);
  const email = optionalString(body, "email");
  const phone = optionalString(body, "phone");
  if (!email && !phone) return signInAnonymously(request, data);
  request.limiter.take("signInSignUps", request.req);
  if (!email) throw new AuthError("validation_failed", "Phone signups are not supported by the local platform");
  if (!settings.emailEnableSignup) throw new AuthError("email_provider_disabled");

  const password = optionalString(body, "password");
  if (!password) throw new AuthError("validation_failed", "Signup requires a valid password");
  assertStrongPassword(password, settings.minimumPasswordLength);
  const address = normalizeEmail(email);
  // Hash before opening the transaction: PGlite serialises transactions, scrypt is slow on purpose.
  const encryptedPassword = await hashPassword(password);
  const autoconfirm = !settings.emailEnableConfirmations;

  return request.context.db.asSuperuser(async (tx) => {
    const existing = await findUserByEmail(tx, address);
    if (existing) {
      // With confirmations on, GoTrue hides whether the address is registered (docs/supabase-behaviour.md#sessions-and-users).
      if (autoconfirm) throw new AuthError("user_already_exists");
      return { status: 200, body: obfuscatedUser(address, data) };
    }
    let user = await insertUser(tx, { email: address, encryptedPassword, confirmed: autoconfirm, userMetadata: data, isAnonymous: false });
    await insertEmailIdentity(tx, user);
    if (!autoconfirm) return { status: 200, body: await userJson(tx, user) };
    user = await recordSignIn(tx, user.id);
    const { sessionId, refreshToken } = await startSession(tx, user.id, "password", userAgent(request));
    return { status: 200, body: await sessionResponse(tx, request.context, user, sessionId, refreshToken) };
  });
};

async function signInAnonymously(request: AuthRequest, data: Record<string, unknown>) {
  if (!request.context.config.auth.enableAnonymousSignIns) throw new AuthError("anonymous_provider_disabled");
  request.limiter.take("anonymousUsers", request.req);
  return request.context.db.asSuperuser(async (tx) => {
    const created = await insertUser(tx, { email: null, encryptedPassword: null, confirmed: false, userMetadata: data, isAnonymous: true });
    const user = await recordSignIn(tx, created.id);
    const { sessionId, refreshToken } = await startSession(tx, user.id, "anonymous", userAgent(request));
    return { status: 200, body: await sessionResponse(tx, request.context, user, sessionId, refreshToken) };
  });
}

/** What a repeated sign-up sees when confirmations are on: a plausible, unsaved user. */
function obfuscatedUser(email: string, data: Record<string, unknown>) {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    aud: "authenticated",
    role: "authenticated",
    email,
    phone: "",
    confirmation_sent_at: now,
    app_metadata: EMAIL_APP_METADATA,
    user_metadata: data,
    identities: [],
    created_at: now,
    updated_at: now,
    is_anonymous: false,
  };
}

function userMetadata(body: Record<string, unknown>): Record<string, unknown> {
  const data = body.data;
  if (data === undefined || data === null) return {};
  if (typeof data !== "object" || Array.isArray(data)) throw new AuthError("validation_failed", "data must be an object");
  return data as Record<string, unknown>;
}
