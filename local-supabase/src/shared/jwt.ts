import { createHmac, timingSafeEqual } from "node:crypto";
import { JWT_SECRET } from "./keys.ts";

/** Claims as Supabase services read them; `role` chooses the Postgres role (wire facts §0.4). */
export interface JwtClaims {
  role?: string;
  sub?: string;
  exp?: number;
  iat?: number;
  [claim: string]: unknown;
}

export class JwtError extends Error {
  constructor(
    message: string,
    readonly reason: "malformed" | "signature" | "expired" | "algorithm",
  ) {
    super(message);
    this.name = "JwtError";
  }
}

const base64url = (input: Buffer | string) => Buffer.from(input).toString("base64url");

/** HS256 with the project secret; claim order is kept as given (the demo keys depend on it, §6.1). */
export function signJwt(claims: JwtClaims, secret = JWT_SECRET): string {
  const head = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = base64url(JSON.stringify(claims));
  const signature = createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${signature}`;
}

/** Verifies signature and expiry. The messages mirror the jose/golang-jwt texts services surface. */
export function verifyJwt(token: string, secret = JWT_SECRET, now = Date.now() / 1000): JwtClaims {
  const parts = token.split(".");
  if (parts.length !== 3) throw new JwtError("invalid JWT: token contains an invalid number of segments", "malformed");
  let header: { alg?: string };
  let claims: JwtClaims;
  try {
    header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8"));
    claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
  } catch {
    throw new JwtError("invalid JWT: unable to parse or verify signature, token is malformed", "malformed");
  }
  if (header.alg !== "HS256") throw new JwtError(`invalid JWT: signing method ${header.alg} is invalid`, "algorithm");
  const expected = createHmac("sha256", secret).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2], "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new JwtError("invalid JWT: unable to parse or verify signature, signature is invalid", "signature");
  }
  if (typeof claims.exp === "number" && claims.exp < now) {
    throw new JwtError("invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired", "expired");
  }
  return claims;
}
