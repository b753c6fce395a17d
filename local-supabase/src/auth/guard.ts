import { JwtError, verifyJwt, type JwtClaims } from "../shared/jwt.ts";
import { AuthError } from "./errors.ts";
import type { AuthRequest } from "./request.ts";
import { findUserById, type UserRow } from "./users.ts";

export interface Caller {
  claims: JwtClaims;
  user: UserRow;
  /** null for tokens minted without a session (e.g. by tests or admin tooling). */
  sessionId: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The user behind the bearer, checked the way GoTrue does before /user and /logout (docs/supabase-behaviour.md#auth-errors): no bearer
 * → 401; a token that fails verification or has no `sub` (the anon key) → 403 `bad_jwt`; a token whose
 * session was signed out → 403 `session_not_found`, which auth-js turns into AuthSessionMissingError.
 */
export async function requireCaller(request: AuthRequest): Promise<Caller> {
  const claims = await verifiedClaims(request);
  if (typeof claims.sub !== "string" || claims.sub === "") throw new AuthError("bad_jwt", "invalid claim: missing sub claim");
  if (!UUID.test(claims.sub)) throw new AuthError("bad_jwt", "invalid claim: sub claim must be a UUID");
  const sub = claims.sub;
  const sessionId = typeof claims.session_id === "string" && claims.session_id !== "" ? claims.session_id : null;
  if (sessionId && !UUID.test(sessionId)) throw new AuthError("bad_jwt", "invalid claim: session_id claim must be a UUID");

  return request.context.db.asSuperuser(async (tx) => {
    const user = await findUserById(tx, sub);
    if (!user) throw new AuthError("user_not_found");
    if (sessionId) {
      const { rows } = await tx.query("select 1 from auth.sessions where id = $1 and user_id = $2", [sessionId, sub]);
      if (rows.length === 0) throw new AuthError("session_not_found");
    }
    return { claims, user, sessionId };
  });
}

async function verifiedClaims(request: AuthRequest): Promise<JwtClaims> {
  const bearer = request.routed.bearer;
  if (!bearer) throw new AuthError("no_authorization");
  try {
    return await verifyJwt(bearer, request.context.keys);
  } catch (error) {
    if (error instanceof JwtError) throw new AuthError("bad_jwt", error.message);
    throw error;
  }
}

/** The admin API needs a token whose role is an admin role (local: `service_role`, docs/supabase-behaviour.md#access-tokens). */
export async function requireAdmin(request: AuthRequest): Promise<void> {
  const claims = await verifiedClaims(request);
  if (claims.role !== "service_role" && claims.role !== "supabase_admin") throw new AuthError("not_admin");
}
