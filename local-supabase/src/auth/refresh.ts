import type { PlatformContext } from "../service-contract.ts";
import { AuthError, type AuthErrorCode } from "./errors.ts";
import { insertRefreshToken, sessionResponse } from "./tokens.ts";
import { findUserById } from "./users.ts";

interface RefreshTokenRow {
  token: string;
  user_id: string;
  session_id: string;
  revoked: boolean;
  /** Whether the token was revoked less than `refresh_token_reuse_interval` seconds ago. */
  in_reuse_window: boolean;
}

/**
 * grant_type=refresh_token with rotation (docs/supabase-behaviour.md#auth-errors, #project-configuration): the presented token is revoked and a child
 * (parent = old token) is issued. A revoked token presented again within the reuse interval — two tabs
 * refreshing at once — gets the session's currently active token back; later, it counts as theft: the
 * whole family is revoked and the caller gets `refresh_token_already_used`.
 */
export async function refreshSession(context: PlatformContext, presented: string): Promise<Record<string, unknown>> {
  const settings = context.config.auth;
  // Errors are returned rather than thrown so the family revocation below commits.
  const outcome = await context.db.asSuperuser(async (tx): Promise<{ error: AuthErrorCode } | { body: Record<string, unknown> }> => {
    const { rows } = await tx.query<RefreshTokenRow>(
      `select token, user_id, session_id, revoked,
              now() < updated_at + make_interval(secs => $2::int) as in_reuse_window
       from auth.refresh_tokens where token = $1`,
      [presented, settings.refreshTokenReuseInterval],
    );
    const row = rows[0];
    if (!row) return { error: "refresh_token_not_found" };
    const user = await findUserById(tx, row.user_id);
    if (!user) return { error: "refresh_token_not_found" };
    if (user.banned_until && user.banned_until.getTime() > Date.now()) return { error: "user_banned" };

    let next: string;
    if (row.revoked) {
      if (settings.enableRefreshTokenRotation && !row.in_reuse_window) {
        await tx.query("update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1 and not revoked", [row.session_id]);
        return { error: "refresh_token_already_used" };
      }
      const active = await tx.query<{ token: string }>(
        "select token from auth.refresh_tokens where session_id = $1 and not revoked order by id desc limit 1",
        [row.session_id],
      );
      if (!active.rows[0]) return { error: "refresh_token_already_used" };
      next = active.rows[0].token;
    } else if (settings.enableRefreshTokenRotation) {
      await tx.query("update auth.refresh_tokens set revoked = true, updated_at = now() where token = $1", [row.token]);
      next = await insertRefreshToken(tx, row.user_id, row.session_id, row.token);
    } else {
      next = row.token;
    }
    await tx.query("update auth.sessions set refreshed_at = now(), updated_at = now() where id = $1", [row.session_id]);
    return { body: await sessionResponse(tx, context, user, row.session_id, next) };
  });
  if ("error" in outcome) throw new AuthError(outcome.error);
  return outcome.body;
}
