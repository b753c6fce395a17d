import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { AuthError } from "./errors.ts";

/**
 * Passwords are stored as `scrypt$N$r$p$salt$hash` (base64). Hosted GoTrue uses bcrypt; hashes are
 * never exchanged between the two, so only the slowness matters: async so the event loop keeps serving.
 */
const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((done, fail) =>
    scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? fail(error) : done(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, { N, r: R, p: P });
  return ["scrypt", N, R, P, salt.toString("base64"), hash.toString("base64")].join("$");
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = stored?.split("$") ?? [];
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [, n, r, p, salt, hash] = parts;
  const expected = Buffer.from(hash, "base64");
  const actual = await derive(password, Buffer.from(salt, "base64"), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** GoTrue's length rule (`minimum_password_length`, docs/supabase-behaviour.md#project-configuration); 422 `weak_password` with reasons (docs/supabase-behaviour.md#auth-errors). */
export function assertStrongPassword(password: string, minimumLength: number): void {
  if ([...password].length >= minimumLength) return;
  throw new AuthError("weak_password", `Password should be at least ${minimumLength} characters.`, {
    extra: { weak_password: { reasons: ["length"] } },
  });
}
