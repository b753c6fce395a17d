import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { dirname, join } from "node:path";
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";

/**
 * The project's asymmetric signing key: GoTrue signs user access tokens with it (ES256, `kid` in the
 * header) and publishes the public half at `/auth/v1/.well-known/jwks.json`, which is how new hosted
 * projects and current CLI versions issue tokens. The anon and service_role keys stay HS256.
 */
export interface SigningKeys {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The public JWK as the JWKS endpoint lists it. */
  publicJwk: JWK;
}

/** Where a persistent platform keeps its key, in the CLI's `signing_keys_path` format (a JSON array of private JWKs). */
export function signingKeysFile(dataDir: string): string {
  return join(dataDir, "auth", "signing-keys.json");
}

let processKey: Promise<SigningKeys> | null = null;

/**
 * A data directory's key pair, generated on first start and reused afterwards, so tokens issued before
 * a restart stay valid. In-memory platforms share one key per process.
 */
export function loadSigningKeys(dataDir: string | null): Promise<SigningKeys> {
  if (dataDir === null) return (processKey ??= generate());
  return loadOrCreate(signingKeysFile(dataDir));
}

async function loadOrCreate(file: string): Promise<SigningKeys> {
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, "utf8")) as JWK[];
    const jwk = Array.isArray(stored) ? stored.find((key) => key.alg === "ES256" && key.d) : undefined;
    if (!jwk?.kid) throw new Error(`${file} holds no ES256 private key with a kid; delete the file to have a new key generated.`);
    return fromPrivateJwk(jwk);
  }
  const keys = await generate();
  mkdirSync(dirname(file), { recursive: true });
  const privateJwk = { ...(await exportJWK(keys.privateKey)), kid: keys.kid, alg: "ES256", use: "sig", key_ops: ["sign", "verify"], ext: true };
  writeFileSync(file, `${JSON.stringify([privateJwk], null, 2)}\n`, { mode: 0o600 });
  return keys;
}

async function generate(): Promise<SigningKeys> {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  return withPublicJwk(randomUUID(), privateKey, publicKey);
}

async function fromPrivateJwk(jwk: JWK): Promise<SigningKeys> {
  const publicPart = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
  const privateKey = (await importJWK({ ...publicPart, d: jwk.d, key_ops: ["sign"] }, "ES256", { extractable: true })) as CryptoKey;
  const publicKey = (await importJWK({ ...publicPart, key_ops: ["verify"] }, "ES256", { extractable: true })) as CryptoKey;
  return withPublicJwk(jwk.kid!, privateKey, publicKey);
}

async function withPublicJwk(kid: string, privateKey: CryptoKey, publicKey: CryptoKey): Promise<SigningKeys> {
  const { kty, crv, x, y } = await exportJWK(publicKey);
  return { kid, privateKey, publicKey, publicJwk: { alg: "ES256", crv, ext: true, key_ops: ["verify"], kid, kty, use: "sig", x, y } };
}
