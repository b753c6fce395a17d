import { AuthError } from "../errors.ts";
import { mailboxFor } from "../mailbox.ts";
import { recoveryMail } from "../mail-templates.ts";
import { newRecoveryCode, PKCE_PREFIX, readCodeChallenge, saveFlowState } from "../recovery.ts";
import { allowedRedirect } from "../redirect.ts";
import { normalizeEmail, optionalString, readObject, type AuthRoute } from "../request.ts";
import { findUserByEmail } from "../users.ts";

/**
 * POST /recover (auth-js `resetPasswordForEmail`): mails a link to /verify and a six-digit code. The
 * answer is `{}` whether or not the address has an account, so nobody can probe for accounts. With
 * PKCE (the SSR client's flow) the link's token is `pkce_…` and the challenge waits in auth.flow_state.
 */
export const recover: AuthRoute = async (request) => {
  const { context, limiter, req } = request;
  const settings = context.config.auth;
  const body = await readObject(request);
  limiter.take("signInSignUps", req); // GoTrue's Recover limiter shares the sign-in/sign-up setting
  const email = optionalString(body, "email");
  if (!email) throw new AuthError("validation_failed", "Password recovery requires an email");
  const address = normalizeEmail(email);
  const pkce = readCodeChallenge(body);
  const redirectTo = allowedRedirect(settings, request.routed.url.searchParams.get("redirect_to"));

  return context.db.asSuperuser(async (tx) => {
    const user = await findUserByEmail(tx, address);
    if (!user) return { status: 200, body: {} };
    const waited = user.recovery_sent_at ? (Date.now() - user.recovery_sent_at.getTime()) / 1000 : Infinity;
    if (waited < settings.emailMaxFrequency) {
      const seconds = Math.ceil(settings.emailMaxFrequency - waited);
      throw new AuthError("over_email_send_rate_limit", `For security purposes, you can only request this after ${seconds} seconds.`);
    }
    limiter.take("emailSent", req);
    if (pkce) await saveFlowState(tx, user.id, pkce, "recovery");
    const { code, tokenHash } = newRecoveryCode(address);
    await tx.query("update auth.users set recovery_token = $2, recovery_sent_at = now(), updated_at = now() where id = $1", [user.id, tokenHash]);

    const link = new URL(`${context.url}/auth/v1/verify`);
    link.searchParams.set("token", pkce ? `${PKCE_PREFIX}${tokenHash}` : tokenHash);
    link.searchParams.set("type", "recovery");
    link.searchParams.set("redirect_to", redirectTo);
    const mail = recoveryMail(link.toString(), code);
    mailboxFor(context).deliver({ from: { name: "Supabase Auth", address: "admin@email.com" }, to: address, ...mail });
    context.log(`[auth] password-recovery mail for ${address}: open ${context.url}/mail to read it`);
    return { status: 200, body: {} };
  });
};
