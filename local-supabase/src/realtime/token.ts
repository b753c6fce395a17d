import { JwtError, verifyJwt, type JwtClaims, type VerifyKeys } from "../shared/jwt.ts";
import { ANON_KEY, PUBLISHABLE_KEY, SECRET_KEY, SERVICE_ROLE_KEY } from "../shared/keys.ts";

/** A verified caller: the token as given and the claims that choose the Postgres role. */
export interface Caller {
  token: string;
  claims: JwtClaims;
  role: string;
  /** Seconds since the epoch (always present: realtime refuses tokens without `exp`). */
  exp: number;
}

export type TokenCheck = { ok: true; caller: Caller } | { ok: false; message: string };

/** The gateway turns the opaque keys into the demo JWTs for the websocket's apikey too (docs/supabase-behaviour.md#apikey-to-authorization). */
export function mapApiKey(key: string): string {
  if (key === SECRET_KEY) return SERVICE_ROLE_KEY;
  if (key === PUBLISHABLE_KEY) return ANON_KEY;
  return key;
}

/**
 * Realtime's own token rules (docs/supabase-behaviour.md#realtime-connection, #joining-a-channel): a JWT valid for the project secret that carries both `role`
 * and `exp`. The messages are the ones realtime answers the upgrade with.
 */
export async function checkToken(token: string | null | undefined, keys: VerifyKeys): Promise<TokenCheck> {
  if (!token) return { ok: false, message: "API key is missing" };
  let claims: JwtClaims;
  try {
    claims = await verifyJwt(token, keys);
  } catch (error) {
    if (!(error instanceof JwtError)) throw error;
    if (error.reason === "expired") return { ok: false, message: "Token has expired" };
    if (error.reason === "signature") return { ok: false, message: "Failed to validate JWT signature" };
    return { ok: false, message: "The token provided is not a valid JWT" };
  }
  if (typeof claims.role !== "string" || typeof claims.exp !== "number") {
    return { ok: false, message: "Fields `role` and `exp` are required in JWT" };
  }
  return { ok: true, caller: { token, claims, role: claims.role, exp: claims.exp } };
}
