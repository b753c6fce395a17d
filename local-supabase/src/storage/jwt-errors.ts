import { JwtError } from "../shared/jwt.ts";

/**
 * storage-api verifies every token (bearer and signed URL) with jose and passes jose's message on in its
 * error body. The shared verifier says why a token failed in its own words, so the reason is mapped back
 * to jose's: a token signed with another secret or tampered with is "signature verification failed", an
 * expired one `"exp" claim timestamp check failed`, one that is not three dot-separated parts
 * "Invalid Compact JWS".
 */
export function joseMessage(error: unknown): string {
  if (!(error instanceof JwtError)) return (error as Error).message;
  switch (error.reason) {
    case "expired":
      return '"exp" claim timestamp check failed';
    case "signature":
      return "signature verification failed";
    case "algorithm":
      return '"alg" (Algorithm) Header Parameter value not allowed';
    case "malformed":
      return "Invalid Compact JWS";
  }
}
