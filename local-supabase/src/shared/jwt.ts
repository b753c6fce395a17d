import { decodeProtectedHeader, errors, jwtVerify, SignJWT, type CryptoKey, type JWTHeaderParameters } from "jose";
import { JWT_SECRET } from "./keys.ts";
import type { SigningKeys } from "./signing-keys.ts";

/** Claims as Supabase services read them; `role` chooses the Postgres role (see docs/supabase-behaviour.md#tokens-and-keys). */
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

/** What a service verifies with: the legacy secret (API keys, old user tokens) and, when known, the project's ES256 key. */
export interface VerifyKeys {
  secret: string;
  signing?: SigningKeys;
}

/** Only the legacy secret: Storage's signed-URL tokens and tools that hold no project key pair. */
export const LEGACY_ONLY: VerifyKeys = { secret: JWT_SECRET };

const encoder = new TextEncoder();
const ACCEPTED = ["HS256", "ES256", "RS256"];

/**
 * HS256 with a shared secret, claims in the order given: the CLI's anon and service_role keys are exactly
 * this over `{iss, role, exp}`, so the demo keys re-derive byte for byte.
 */
export function signJwt(claims: JwtClaims, secret = JWT_SECRET): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(encoder.encode(secret));
}

/** A user access token as new projects issue them: ES256 with the project key, its `kid` in the header. */
export function signUserJwt(claims: JwtClaims, signing: SigningKeys): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: signing.kid, typ: "JWT" }).sign(signing.privateKey);
}

/**
 * Verifies signature and expiry as GoTrue and the CLI's services do: HS256 against the legacy secret,
 * ES256 against the project key named by `kid`. The messages are the golang-jwt texts the services
 * surface; each service maps `reason` to its own wording. `checkExpiry: false` lets Storage answer an
 * expired signed URL with its own error.
 */
export async function verifyJwt(token: string, keys: VerifyKeys, options: { checkExpiry?: boolean } = {}): Promise<JwtClaims> {
  if (token.split(".").length !== 3) throw new JwtError("invalid JWT: token contains an invalid number of segments", "malformed");
  let header: JWTHeaderParameters;
  try {
    header = decodeProtectedHeader(token) as JWTHeaderParameters;
  } catch {
    throw malformed();
  }
  if (!ACCEPTED.includes(header.alg ?? "")) throw new JwtError(`invalid JWT: signing method ${header.alg} is invalid`, "algorithm");
  const signing = keys.signing;
  let key: Uint8Array | CryptoKey | null = null;
  if (header.alg === "HS256") key = await hmacKey(keys.secret);
  else if (header.alg === "ES256" && signing && signing.kid === header.kid) key = signing.publicKey;
  if (!key) throw new JwtError("invalid JWT: unable to parse or verify signature, token is unverifiable: error while executing keyfunc: unknown kid", "signature");
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [header.alg],
      ...(options.checkExpiry === false ? { currentDate: new Date(0) } : {}),
    });
    return payload as JwtClaims;
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      throw new JwtError("invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired", "expired");
    }
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      throw new JwtError("invalid JWT: unable to parse or verify signature, signature is invalid", "signature");
    }
    if (error instanceof errors.JOSEError || error instanceof TypeError) throw malformed();
    throw error;
  }
}

const hmacKeys = new Map<string, Promise<CryptoKey>>();

/** Imported once per secret: jose would otherwise import the raw secret again on every verification. */
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]) as Promise<CryptoKey>;
    hmacKeys.set(secret, key);
  }
  return key;
}

function malformed(): JwtError {
  return new JwtError("invalid JWT: unable to parse or verify signature, token is malformed", "malformed");
}
