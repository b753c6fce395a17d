import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { startTestPlatform, ANON_KEY, type TestPlatform } from "./support/platform.ts";
import { verifyJwt } from "../src/shared/jwt.ts";
import { createClient } from "@supabase/supabase-js";
import WebSocket from "ws";

const SUPABASE_DIR = fileURLToPath(new URL("../../supabase", import.meta.url));
const PASSWORD = "correct horse battery staple";
const newEmail = () => `user-${randomUUID()}@example.com`;
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));

describe("auth (/auth/v1) through supabase-js", () => {
  let platform: TestPlatform;
  const authSettings = () => platform.platform.context.config.auth;

  /** Runs `work` with some auth settings changed, restoring them afterwards. */
  async function withSettings(changes: Partial<ReturnType<typeof authSettings>>, work: () => Promise<void>) {
    const saved = { ...authSettings() };
    Object.assign(authSettings(), changes);
    try {
      await work();
    } finally {
      Object.assign(authSettings(), saved);
    }
  }

  before(async () => {
    platform = await startTestPlatform({ supabaseDir: SUPABASE_DIR });
  });
  after(async () => {
    await platform?.close();
  });

  test("sign-up with email and password returns a session, the user and GoTrue's claims", async () => {
    const email = newEmail();
    const { data, error } = await platform.anon().auth.signUp({ email: email.toUpperCase(), password: PASSWORD, options: { data: { name: "Ada" } } });
    assert.equal(error, null);
    assert.ok(data.session && data.user);
    assert.equal(data.user.email, email, "emails are stored lower-cased");
    assert.equal(data.user.is_anonymous, false);
    assert.deepEqual(data.user.app_metadata, { provider: "email", providers: ["email"] });
    assert.deepEqual(data.user.user_metadata, { name: "Ada" });
    assert.equal(data.user.identities?.[0]?.provider, "email");
    assert.equal(data.session.token_type, "bearer");
    assert.equal(data.session.expires_in, 3600);

    const claims = claimsOf(data.session.access_token);
    assert.deepEqual(Object.keys(claims), [
      "iss", "sub", "aud", "exp", "iat", "email", "phone", "app_metadata", "user_metadata", "role", "aal", "amr", "session_id", "is_anonymous",
    ]);
    assert.equal(claims.iss, `${platform.url}/auth/v1`);
    assert.equal(claims.sub, data.user.id);
    assert.equal(claims.aud, "authenticated");
    assert.equal(claims.role, "authenticated");
    assert.equal(claims.exp - claims.iat, 3600);
    assert.deepEqual(claims.amr.map((entry: { method: string }) => entry.method), ["password"]);
    assert.equal(claims.is_anonymous, false);
  });

  test("signing up twice with one email answers user_already_exists", async () => {
    const email = newEmail();
    await platform.anon().auth.signUp({ email, password: PASSWORD });
    const { data, error } = await platform.anon().auth.signUp({ email, password: PASSWORD });
    assert.equal(data.session, null);
    assert.equal(error?.code, "user_already_exists");
    assert.equal(error?.status, 422);
  });

  test("a short password is refused as weak_password with its reasons", async () => {
    const { error } = await platform.anon().auth.signUp({ email: newEmail(), password: "abc" });
    assert.equal(error?.code, "weak_password");
    assert.equal(error?.status, 422);
    assert.deepEqual((error as { reasons?: string[] }).reasons, ["length"]);
  });

  test("sign-ups can be switched off", async () => {
    await withSettings({ enableSignup: false }, async () => {
      const { error } = await platform.anon().auth.signUp({ email: newEmail(), password: PASSWORD });
      assert.equal(error?.code, "signup_disabled");
    });
  });

  test("errors carry {code, message} and the headers auth-js needs", async () => {
    const response = await fetch(`${platform.url}/auth/v1/signup`, {
      method: "POST",
      headers: { apikey: ANON_KEY, "Content-Type": "application/json", "X-Supabase-Api-Version": "2024-01-01" },
      body: JSON.stringify({ email: newEmail() }),
    });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get("x-supabase-api-version"), "2024-01-01");
    assert.equal(response.headers.get("x-sb-error-code"), "validation_failed");
    assert.deepEqual(await response.json(), { code: "validation_failed", message: "Signup requires a valid password" });
  });

  test("password sign-in works, and wrong or unknown credentials answer invalid_credentials", async () => {
    const email = newEmail();
    const signedUp = await platform.anon().auth.signUp({ email, password: PASSWORD });
    const ok = await platform.anon().auth.signInWithPassword({ email, password: PASSWORD });
    assert.equal(ok.error, null);
    assert.equal(ok.data.user?.id, signedUp.data.user?.id);
    assert.notEqual(ok.data.session?.refresh_token, signedUp.data.session?.refresh_token);

    const wrong = await platform.anon().auth.signInWithPassword({ email, password: "not the password" });
    assert.equal(wrong.error?.code, "invalid_credentials");
    assert.equal(wrong.error?.status, 400);
    const unknown = await platform.anon().auth.signInWithPassword({ email: newEmail(), password: PASSWORD });
    assert.equal(unknown.error?.code, "invalid_credentials");
  });

  test("anonymous sign-in creates a guest with amr anonymous, and can be disabled", async () => {
    const { data, error } = await platform.anon().auth.signInAnonymously();
    assert.equal(error, null);
    assert.ok(data.session && data.user);
    assert.equal(data.user.is_anonymous, true);
    assert.deepEqual(data.user.app_metadata, {});
    assert.deepEqual(data.user.identities, []);
    const claims = claimsOf(data.session.access_token);
    assert.equal(claims.is_anonymous, true);
    assert.equal(claims.email, "");
    assert.deepEqual(claims.amr.map((entry: { method: string }) => entry.method), ["anonymous"]);

    await withSettings({ enableAnonymousSignIns: false }, async () => {
      const disabled = await platform.anon().auth.signInAnonymously();
      assert.equal(disabled.data.session, null);
      assert.equal(disabled.error?.code, "anonymous_provider_disabled");
      assert.equal(disabled.error?.status, 422);
    });
  });

  test("refresh rotates the token; a reused token gets the active child, later it is refused", async () => {
    const { client } = await platform.newUser();
    const first = (await client.auth.getSession()).data.session!.refresh_token;
    const rotated = await client.auth.refreshSession({ refresh_token: first });
    assert.equal(rotated.error, null);
    const second = rotated.data.session!.refresh_token;
    assert.notEqual(second, first);

    await withSettings({ refreshTokenReuseInterval: 3600 }, async () => {
      const concurrent = await platform.anon().auth.refreshSession({ refresh_token: first });
      assert.equal(concurrent.error, null);
      assert.equal(concurrent.data.session?.refresh_token, second, "within the reuse interval the active child comes back");
    });
    await withSettings({ refreshTokenReuseInterval: 0 }, async () => {
      const reused = await platform.anon().auth.refreshSession({ refresh_token: first });
      assert.equal(reused.error?.code, "refresh_token_already_used");
      // Reuse detection revokes the whole family, so the child is dead as well.
      const child = await platform.anon().auth.refreshSession({ refresh_token: second });
      assert.equal(child.error?.code, "refresh_token_already_used");
    });
    const unknown = await platform.anon().auth.refreshSession({ refresh_token: "no-such-token" });
    assert.equal(unknown.error?.code, "refresh_token_not_found");
  });

  test("getUser and getClaims return the signed-in user", async () => {
    const { client, id, email } = await platform.newUser();
    const { data, error } = await client.auth.getUser();
    assert.equal(error, null);
    assert.equal(data.user?.id, id);
    assert.equal(data.user?.email, email);
    const claims = await client.auth.getClaims();
    assert.equal(claims.error, null);
    assert.equal(claims.data?.claims.sub, id);
  });

  test("/user refuses missing, malformed and sub-less tokens with GoTrue's codes", async () => {
    const garbage = await platform.anon().auth.getUser("not-a-jwt");
    assert.equal(garbage.error?.code, "bad_jwt");
    const anonKey = await platform.anon().auth.getUser(ANON_KEY);
    assert.equal(anonKey.error?.code, "bad_jwt");
    assert.equal(anonKey.error?.message, "invalid claim: missing sub claim");
    const missing = await fetch(`${platform.url}/auth/v1/user`, { headers: { "X-Supabase-Api-Version": "2024-01-01" } });
    assert.equal(missing.status, 401);
    assert.equal((await missing.json()).code, "no_authorization");
    // A client that names no API version (curl, older SDKs) gets GoTrue's legacy error shape.
    const legacy = await fetch(`${platform.url}/auth/v1/user`);
    assert.deepEqual(await legacy.json(), { code: 401, error_code: "no_authorization", msg: "This endpoint requires a valid Bearer token" });
  });

  test("updateUser merges metadata and turns a guest into an email user with the same id", async () => {
    const guest = platform.anon();
    const { data } = await guest.auth.signInAnonymously();
    const id = data.user!.id;
    const meta = await guest.auth.updateUser({ data: { theme: "dark", name: "Guest" } });
    assert.deepEqual(meta.data.user?.user_metadata, { theme: "dark", name: "Guest" });
    const cleared = await guest.auth.updateUser({ data: { name: null } });
    assert.deepEqual(cleared.data.user?.user_metadata, { theme: "dark" });

    const email = newEmail();
    const upgraded = await guest.auth.updateUser({ email, password: PASSWORD });
    assert.equal(upgraded.error, null);
    assert.equal(upgraded.data.user?.id, id);
    assert.equal(upgraded.data.user?.is_anonymous, false);
    assert.equal(upgraded.data.user?.email, email);
    assert.equal(upgraded.data.user?.identities?.[0]?.provider, "email");

    const signedIn = await platform.anon().auth.signInWithPassword({ email, password: PASSWORD });
    assert.equal(signedIn.error, null);
    assert.equal(signedIn.data.user?.id, id);
    assert.equal(claimsOf(signedIn.data.session!.access_token).is_anonymous, false);
  });

  test("a guest cannot set a password without an email, and a taken email is refused", async () => {
    const guest = platform.anon();
    await guest.auth.signInAnonymously();
    const noEmail = await guest.auth.updateUser({ password: PASSWORD });
    assert.equal(noEmail.error?.code, "validation_failed");
    const { email } = await platform.newUser();
    const taken = await guest.auth.updateUser({ email, password: PASSWORD });
    assert.equal(taken.error?.code, "email_exists");
  });

  test("updateUser refuses the same password and app_metadata; a permanent user's new email waits", async () => {
    const { client, email, password } = await platform.newUser();
    const same = await client.auth.updateUser({ password });
    assert.equal(same.error?.code, "same_password");
    const admin = await client.auth.updateUser({ app_metadata: { role: "admin" } } as never);
    assert.equal(admin.error?.code, "not_admin");
    const wanted = newEmail();
    const changed = await client.auth.updateUser({ email: wanted });
    assert.equal(changed.error, null);
    assert.equal(changed.data.user?.email, email, "hosted needs the confirmation mail before the email changes");
    assert.equal(changed.data.user?.new_email, wanted);
  });

  test("with confirmations on, sign-up returns no session and repeats do not reveal the account", async () => {
    await withSettings({ emailEnableConfirmations: true }, async () => {
      const email = newEmail();
      const first = await platform.anon().auth.signUp({ email, password: PASSWORD });
      assert.equal(first.error, null);
      assert.equal(first.data.session, null);
      assert.equal(first.data.user?.email_confirmed_at, undefined);
      const repeat = await platform.anon().auth.signUp({ email, password: PASSWORD });
      assert.equal(repeat.error, null);
      assert.notEqual(repeat.data.user?.id, first.data.user?.id);
      const signIn = await platform.anon().auth.signInWithPassword({ email, password: PASSWORD });
      assert.equal(signIn.error?.code, "email_not_confirmed");
    });
  });

  test("signOut ends the session: its access and refresh tokens stop working", async () => {
    const { client, accessToken } = await platform.newUser();
    const refreshToken = (await client.auth.getSession()).data.session!.refresh_token;
    assert.equal((await client.auth.signOut()).error, null);
    const after = await platform.anon().auth.getUser(accessToken);
    assert.equal(after.data.user, null);
    assert.equal(after.error?.name, "AuthSessionMissingError", "session_not_found becomes AuthSessionMissingError");
    const refreshed = await platform.anon().auth.refreshSession({ refresh_token: refreshToken });
    assert.equal(refreshed.error?.code, "refresh_token_not_found");
  });

  test("signOut scope others keeps only the current session", async () => {
    const { email, password, accessToken: otherToken } = await platform.newUser();
    const second = platform.anon();
    await second.auth.signInWithPassword({ email, password });
    assert.equal((await second.auth.signOut({ scope: "others" })).error, null);
    assert.equal((await second.auth.getUser()).error, null);
    assert.equal((await platform.anon().auth.getUser(otherToken)).error?.name, "AuthSessionMissingError");
  });

  test("the access token drives RLS: auth.uid() is the user's id", async () => {
    const { id, accessToken } = await platform.newUser();
    const claims = await verifyJwt(accessToken, platform.platform.context.keys);
    const { rows } = await platform.platform.db.asRequest({ role: String(claims.role), claims, token: accessToken }, (tx) =>
      tx.query<{ uid: string; role: string }>("select auth.uid() as uid, current_user as role"),
    );
    assert.equal(rows[0].uid, id);
    assert.equal(rows[0].role, "authenticated");
  });

  test("health and settings answer", async () => {
    const get = async (path: string) => (await fetch(`${platform.url}/auth/v1${path}`, { headers: { apikey: ANON_KEY } })).json();
    assert.equal((await get("/health")).name, "GoTrue");
    const settings = await get("/settings");
    assert.equal(settings.external.email, true);
    assert.equal(settings.external.anonymous_users, authSettings().enableAnonymousSignIns);
    assert.equal(settings.mailer_autoconfirm, true);
  });

  test("user tokens are ES256 with a kid the JWKS publishes; the secret never is", async () => {
    const { accessToken } = await platform.newUser();
    const header = JSON.parse(Buffer.from(accessToken.split(".")[0], "base64url").toString("utf8"));
    assert.equal(header.alg, "ES256");
    assert.equal(header.typ, "JWT");
    const response = await fetch(`${platform.url}/auth/v1/.well-known/jwks.json`, { headers: { apikey: ANON_KEY } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("cache-control"), "public, max-age=600", "GoTrue lets clients cache the key set for ten minutes");
    const { keys } = await response.json();
    assert.equal(keys.length, 1);
    assert.deepEqual(
      { kid: keys[0].kid, kty: keys[0].kty, crv: keys[0].crv, alg: keys[0].alg, use: keys[0].use, key_ops: keys[0].key_ops },
      { kid: header.kid, kty: "EC", crv: "P-256", alg: "ES256", use: "sig", key_ops: ["verify"] },
    );
    assert.equal("d" in keys[0], false, "the private part stays on the server");
  });

  test("getClaims verifies an ES256 token against the JWKS without asking /user, and refuses a forged one", async () => {
    const { email, password, id } = await platform.newUser();
    const seen: string[] = [];
    const client = createClient(platform.url, ANON_KEY, {
      // auth-js caches key sets per storage key across clients; a fresh key makes this client fetch its own.
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false, storageKey: `sb-jwks-${randomUUID()}` },
      realtime: { transport: WebSocket as never },
      global: { fetch: (input, init) => (seen.push(new URL(String(input instanceof Request ? input.url : input)).pathname), fetch(input, init)) },
    });
    const { data: signedIn } = await client.auth.signInWithPassword({ email, password });
    const token = signedIn.session!.access_token;
    seen.length = 0;
    for (let i = 0; i < 3; i++) {
      const { data, error } = await client.auth.getClaims(token);
      assert.equal(error, null);
      assert.equal(data?.claims.sub, id);
    }
    assert.deepEqual(seen, ["/auth/v1/.well-known/jwks.json"], "the key set is fetched once and cached; /user is never called");

    const [head, body] = token.split(".");
    const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    const forgedBody = Buffer.from(JSON.stringify({ ...claims, role: "service_role" })).toString("base64url");
    const forged = await client.auth.getClaims(`${head}.${forgedBody}.${token.split(".")[2]}`);
    assert.equal(forged.data, null);
    assert.match(forged.error?.message ?? "", /Invalid JWT signature/);
  });

  test("every service accepts the ES256 user token and still refuses a forged one", async () => {
    const { accessToken, id } = await platform.newUser();
    const [head, body, signature] = accessToken.split(".");
    const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    const forged = `${head}.${Buffer.from(JSON.stringify({ ...claims, role: "service_role" })).toString("base64url")}.${signature}`;
    const get = (path: string, token: string) => fetch(`${platform.url}${path}`, { headers: { apikey: ANON_KEY, Authorization: `Bearer ${token}` } });
    assert.equal((await get("/auth/v1/user", accessToken)).status, 200);
    assert.equal((await get("/auth/v1/user", forged)).status, 403);
    assert.equal((await get("/rest/v1/albums?select=id", accessToken)).status, 200);
    const refusedRest = await get("/rest/v1/albums?select=id", forged);
    assert.equal(refusedRest.status, 401);
    assert.equal((await refusedRest.json()).code, "PGRST301");
    const list = (token: string) =>
      fetch(`${platform.url}/storage/v1/object/list/photos`, {
        method: "POST",
        headers: { apikey: ANON_KEY, Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ prefix: id }),
      });
    assert.equal((await list(accessToken)).status, 200);
    const refusedStorage = await (await list(forged)).json();
    assert.equal(refusedStorage.statusCode, "403");
  });
});
