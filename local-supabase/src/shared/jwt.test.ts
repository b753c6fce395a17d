import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ANON_KEY, JWT_SECRET, SERVICE_ROLE_KEY } from "./keys.ts";
import { JwtError, LEGACY_ONLY, signJwt, signUserJwt, verifyJwt } from "./jwt.ts";
import { loadSigningKeys, signingKeysFile } from "./signing-keys.ts";

const now = () => Math.floor(Date.now() / 1000);

test("the CLI's demo keys re-derive byte for byte with the legacy secret", async () => {
  assert.equal(await signJwt({ iss: "supabase-demo", role: "anon", exp: 1983812996 }), ANON_KEY);
  assert.equal(await signJwt({ iss: "supabase-demo", role: "service_role", exp: 1983812996 }), SERVICE_ROLE_KEY);
  assert.deepEqual(await verifyJwt(ANON_KEY, LEGACY_ONLY), { iss: "supabase-demo", role: "anon", exp: 1983812996 });
});

test("user tokens are ES256 with the key's kid and verify only against that key", async () => {
  const signing = await loadSigningKeys(null);
  const token = await signUserJwt({ sub: "u", role: "authenticated", exp: now() + 60 }, signing);
  const header = JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString());
  assert.deepEqual(header, { alg: "ES256", kid: signing.kid, typ: "JWT" });
  assert.equal((await verifyJwt(token, { secret: JWT_SECRET, signing })).sub, "u");
  await assert.rejects(verifyJwt(token, LEGACY_ONLY), (error: JwtError) => error.reason === "signature");
  const other = await signUserJwt({ sub: "someone-else", exp: now() + 60 }, signing);
  const tampered = `${other.split(".").slice(0, 2).join(".")}.${token.split(".")[2]}`;
  await assert.rejects(verifyJwt(tampered, { secret: JWT_SECRET, signing }), (error: JwtError) => error.reason === "signature");
});

test("each failure keeps the golang-jwt text and a reason services map to their own wording", async () => {
  const keys = LEGACY_ONLY;
  const cases: [string, JwtError["reason"], string][] = [
    ["abc", "malformed", "invalid JWT: token contains an invalid number of segments"],
    ["a.b.c", "malformed", "invalid JWT: unable to parse or verify signature, token is malformed"],
    [await signJwt({ role: "anon" }, "another-secret-that-is-at-least-32-characters"), "signature", "invalid JWT: unable to parse or verify signature, signature is invalid"],
    [await signJwt({ role: "anon", exp: now() - 10 }), "expired", "invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired"],
    [`${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from("{}").toString("base64url")}.`, "algorithm", "invalid JWT: signing method none is invalid"],
  ];
  for (const [token, reason, message] of cases) {
    await assert.rejects(verifyJwt(token, keys), (error: JwtError) => error instanceof JwtError && error.reason === reason && error.message === message, token);
  }
  // Storage checks expiry of signed URLs itself, after scope and object.
  const expired = await signJwt({ url: "a/b", exp: now() - 10 });
  assert.equal((await verifyJwt(expired, keys, { checkExpiry: false })).url, "a/b");
});

test("a data directory keeps its key pair across restarts; a damaged key file says what to do", async () => {
  const dir = mkdtempSync(join(tmpdir(), "shoebox-keys-"));
  try {
    const first = await loadSigningKeys(dir);
    const token = await signUserJwt({ sub: "u", exp: now() + 60 }, first);
    const second = await loadSigningKeys(dir);
    assert.equal(second.kid, first.kid);
    assert.deepEqual(second.publicJwk, first.publicJwk);
    assert.equal((await verifyJwt(token, { secret: JWT_SECRET, signing: second })).sub, "u");
    const stored = JSON.parse(readFileSync(signingKeysFile(dir), "utf8"));
    assert.equal(stored[0].kid, first.kid);
    assert.equal(stored[0].alg, "ES256");
    assert.equal(typeof stored[0].d, "string");
    assert.equal("d" in first.publicJwk, false);

    writeFileSync(signingKeysFile(dir), "[]");
    await assert.rejects(loadSigningKeys(dir), /delete the file to have a new key generated/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
