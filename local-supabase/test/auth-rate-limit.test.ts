import { test, describe, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { startTestPlatform, ANON_KEY, type TestPlatform } from "./support/platform.ts";

/** Shoebox's own config.toml, so the limits under test are the ones the project ships with. */
const SUPABASE_DIR = fileURLToPath(new URL("../../supabase", import.meta.url));

describe("auth rate limits (/auth/v1) from config.toml [auth.rate_limit]", () => {
  const platforms: TestPlatform[] = [];
  const start = async (options: Record<string, unknown> = {}) => {
    const platform = await startTestPlatform({ supabaseDir: SUPABASE_DIR, ...options });
    platforms.push(platform);
    return platform;
  };
  after(async () => {
    for (const platform of platforms) await platform.close();
  });

  test("guest sign-ins from one address stop at anonymous_users with GoTrue's 429", async () => {
    const platform = await start();
    const allowed = platform.platform.context.config.auth.rateLimit.anonymousUsers;
    const client = platform.anon();
    for (let i = 0; i < allowed; i++) {
      const { error } = await client.auth.signInAnonymously();
      assert.equal(error, null, `guest ${i + 1} of ${allowed}`);
    }
    const refused = await client.auth.signInAnonymously();
    assert.equal(refused.error?.status, 429);
    assert.equal(refused.error?.code, "over_request_rate_limit");
    assert.equal(refused.error?.message, "Request rate limit reached");

    const raw = await fetch(`${platform.url}/auth/v1/signup`, {
      method: "POST",
      headers: { apikey: ANON_KEY, "Content-Type": "application/json", "X-Supabase-Api-Version": "2024-01-01" },
      body: "{}",
    });
    assert.equal(raw.status, 429);
    assert.equal(raw.headers.get("x-sb-error-code"), "over_request_rate_limit");
    assert.deepEqual(await raw.json(), { code: "over_request_rate_limit", message: "Request rate limit reached" });

    // Without the version header (curl, older clients) GoTrue answers its legacy shape.
    const legacy = await fetch(`${platform.url}/auth/v1/signup`, { method: "POST", headers: { apikey: ANON_KEY, "Content-Type": "application/json" }, body: "{}" });
    assert.equal(legacy.status, 429);
    assert.deepEqual(await legacy.json(), { code: 429, error_code: "over_request_rate_limit", msg: "Request rate limit reached" });
  });

  test("wrong passwords in a row meet the token_refresh bucket (burst 30) and then 429", async () => {
    const platform = await start();
    const { email } = await platform.newUser();
    const client = platform.anon();
    const codes: string[] = [];
    for (let i = 0; i < 30; i++) {
      const { error } = await client.auth.signInWithPassword({ email, password: `wrong-${i}` });
      codes.push(error?.code ?? "none");
    }
    // newUser's sign-up took nothing from this bucket, so all 30 burst tokens go to the guesses.
    assert.deepEqual(codes, Array(30).fill("invalid_credentials"));
    // The bucket refills at 150 per 5 minutes (one every 2 s) while the guesses go on, so the next
    // few may still be answered; a guesser is refused long before it could try 50.
    let refused = false;
    for (let i = 0; i < 20 && !refused; i++) {
      const { error } = await client.auth.signInWithPassword({ email, password: `again-${i}` });
      refused = error?.code === "over_request_rate_limit";
      if (!refused) assert.equal(error?.code, "invalid_credentials");
    }
    assert.ok(refused, "a 429 came within 20 more guesses");
  });

  test("email sign-ups stop at the sign_in_sign_ups burst, while guests keep their own bucket", async () => {
    const platform = await start();
    const client = platform.anon();
    const signUp = async () =>
      (await client.auth.signUp({ email: `user-${randomUUID()}@example.com`, password: "correct horse battery staple" })).error?.code ?? "none";
    const codes: string[] = [];
    for (let i = 0; i < 30; i++) codes.push(await signUp());
    assert.deepEqual(codes, Array(30).fill("none"));
    // The bucket refills at 30 per 5 minutes (one every 10 s) while the sign-ups (slow on purpose:
    // password hashing) go on, so one more may still pass on a loaded machine; a 429 follows at once.
    let refused = false;
    for (let i = 0; i < 5 && !refused; i++) refused = (await signUp()) === "over_request_rate_limit";
    assert.ok(refused, "a 429 came within 5 more sign-ups");
    assert.equal((await client.auth.signInAnonymously()).error, null);
  });

  test("a test platform may raise a limit for itself with authRateLimits; config.toml still names the shipped one", async () => {
    const platform = await start({ authRateLimits: { anonymousUsers: 1000 } });
    assert.equal(platform.platform.context.config.auth.rateLimit.anonymousUsers, 30);
    const client = platform.anon();
    for (let i = 0; i < 40; i++) assert.equal((await client.auth.signInAnonymously()).error, null, `guest ${i + 1}`);
  });
});
