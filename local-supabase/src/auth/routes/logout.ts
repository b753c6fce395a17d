import { AuthError } from "../errors.ts";
import { requireCaller } from "../guard.ts";
import type { AuthRoute } from "../request.ts";

/**
 * POST /logout?scope=global|local|others → 204 (docs/supabase-behaviour.md#auth-routes). Deleting the session rows cascades to their
 * refresh tokens, and access tokens carrying those session ids stop working on /user (docs/supabase-behaviour.md#auth-errors).
 */
export const logout: AuthRoute = async (request) => {
  const scope = request.routed.url.searchParams.get("scope") ?? "global";
  if (!["global", "local", "others"].includes(scope)) throw new AuthError("validation_failed", `Unsupported logout scope "${scope}"`);
  const { user, sessionId } = await requireCaller(request);
  await request.context.db.asSuperuser(async (tx) => {
    if (scope === "local" && sessionId) {
      await tx.query("delete from auth.sessions where id = $1", [sessionId]);
    } else if (scope === "others") {
      await tx.query("delete from auth.sessions where user_id = $1 and id is distinct from $2::uuid", [user.id, sessionId]);
    } else {
      await tx.query("delete from auth.sessions where user_id = $1", [user.id]);
    }
  });
  return { status: 204 };
};
