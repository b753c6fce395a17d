import { AuthError } from "../errors.ts";
import { requireCaller } from "../guard.ts";
import { assertStrongPassword, hashPassword, verifyPassword } from "../password.ts";
import { normalizeEmail, optionalString, readObject, type AuthRoute } from "../request.ts";
import { EMAIL_APP_METADATA, findUserByEmail, findUserById, insertEmailIdentity, userJson } from "../users.ts";

/** GET /user: the bare user object (docs/supabase-behaviour.md#sessions-and-users). */
export const getUser: AuthRoute = async (request) => {
  const { user } = await requireCaller(request);
  return { status: 200, body: await request.context.db.asSuperuser((tx) => userJson(tx, user)) };
};

/**
 * PUT /user, in GoTrue's order of checks. An anonymous user who adds an email (confirmations off) is
 * converted in place: same id, an email identity, `is_anonymous` false — so everything it uploaded as
 * a guest stays its own. A permanent user's new email only becomes `new_email`, waiting for a
 * confirmation mail hosted would send; the local platform sends none.
 */
export const updateUser: AuthRoute = async (request) => {
  const { user } = await requireCaller(request);
  request.limiter.take("signInSignUps", request.req); // GoTrue's User limiter, after authentication
  const { config, db, log } = request.context;
  const body = await readObject(request);
  const email = optionalString(body, "email");
  const password = optionalString(body, "password");
  const data = body.data;
  if (data !== undefined && data !== null && (typeof data !== "object" || Array.isArray(data))) {
    throw new AuthError("validation_failed", "data must be an object");
  }
  if (optionalString(body, "phone")) throw new AuthError("validation_failed", "Phone changes are not supported by the local platform");
  const address = email ? normalizeEmail(email) : undefined;
  if (password) assertStrongPassword(password, config.auth.minimumPasswordLength);
  if (body.app_metadata !== undefined && body.app_metadata !== null) throw new AuthError("not_admin", "Updating app_metadata requires admin privileges");
  if (user.is_anonymous && password && !address) {
    throw new AuthError("validation_failed", "Updating password of an anonymous user without an email or phone is not allowed");
  }
  const changesEmail = address !== undefined && address !== user.email;
  if (changesEmail) {
    const taken = await db.asSuperuser((tx) => findUserByEmail(tx, address));
    if (taken && taken.id !== user.id) throw new AuthError("email_exists");
  }
  let encryptedPassword: string | undefined;
  if (password) {
    if (await verifyPassword(password, user.encrypted_password)) throw new AuthError("same_password");
    encryptedPassword = await hashPassword(password);
  }
  const convertsGuest = changesEmail && user.is_anonymous && !config.auth.emailEnableConfirmations;

  return db.asSuperuser(async (tx) => {
    if (encryptedPassword) {
      await tx.query("update auth.users set encrypted_password = $2, updated_at = now() where id = $1", [user.id, encryptedPassword]);
    }
    if (data) {
      // GoTrue merges keys into user_metadata; a null value removes the key.
      await tx.query(
        `update auth.users set updated_at = now(), raw_user_meta_data = (raw_user_meta_data || $2::jsonb)
           - coalesce((select array_agg(key) from jsonb_each($2::jsonb) where jsonb_typeof(value) = 'null'), '{}')
         where id = $1`,
        [user.id, JSON.stringify(data)],
      );
    }
    if (convertsGuest) {
      await tx.query(
        `update auth.users set email = $2, email_confirmed_at = now(), is_anonymous = false,
           raw_app_meta_data = raw_app_meta_data || $3::jsonb, updated_at = now() where id = $1`,
        [user.id, address, JSON.stringify(EMAIL_APP_METADATA)],
      );
      const converted = await findUserById(tx, user.id);
      if (converted) await insertEmailIdentity(tx, converted);
    } else if (changesEmail) {
      await tx.query("update auth.users set email_change = $2, email_change_sent_at = now(), updated_at = now() where id = $1", [user.id, address]);
      log(`[auth] email change for ${user.id} to ${address} awaits confirmation; the local platform sends no mail`);
    }
    const fresh = await findUserById(tx, user.id);
    if (!fresh) throw new AuthError("user_not_found");
    return { status: 200, body: await userJson(tx, fresh) };
  });
};
