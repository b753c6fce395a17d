import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { FunctionsHttpError } from "@supabase/supabase-js";
import { startTestPlatform, ANON_KEY, SERVICE_ROLE_KEY, type TestPlatform } from "./support/platform.ts";
import { TEST_FUNCTIONS_DIR } from "./functions-support.ts";
import { signJwt } from "../src/shared/jwt.ts";
import { PUBLISHABLE_KEY } from "../src/shared/keys.ts";

// Routing, verify_jwt, the function's view of the request and env, and the runtime's error answers (docs/supabase-behaviour.md#routing-and-jwt-verification, #function-environment).
describe("functions: routing and verify_jwt", () => {
  let t: TestPlatform;
  const call = (path: string, init: RequestInit = {}) => fetch(`${t.url}/functions/v1/${path}`, init);
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  before(async () => {
    t = await startTestPlatform({ functionsDir: TEST_FUNCTIONS_DIR });
  });
  after(() => t.close());

  test("invoke reaches the function with the caller's JWT, the /<name> path and the SUPABASE_* env", async () => {
    const { data, error } = await t.anon().functions.invoke("echo", { body: { hello: "world" } });
    assert.equal(error, null);
    assert.equal(data.method, "POST");
    assert.equal(data.path, "/echo");
    assert.deepEqual(JSON.parse(data.body), { hello: "world" });
    assert.equal(data.authorization, `Bearer ${ANON_KEY}`);
    assert.equal(data.hasEdgeRuntime, "object");
    assert.deepEqual(data.env, {
      SUPABASE_URL: t.url,
      SUPABASE_ANON_KEY: ANON_KEY,
      SUPABASE_SERVICE_ROLE_KEY: SERVICE_ROLE_KEY,
      SUPABASE_DB_URL: "postgresql://postgres:postgres@127.0.0.1:54322/postgres",
      SUPABASE_PUBLISHABLE_KEYS: JSON.stringify({ default: PUBLISHABLE_KEY }),
      SUPABASE_SECRET_KEYS: JSON.stringify({ default: "sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz" }),
      SUPABASE_JWKS: JSON.stringify(await (await fetch(`${t.url}/auth/v1/.well-known/jwks.json`)).json()),
      SHOEBOX_GREETING: "hello from .env",
    });
    for (const hidden of ["HOME", "PATH", "PWD", "HOSTNAME", "DENO_DIR"]) assert.ok(!data.envNames.includes(hidden), hidden);
    assert.ok(!data.envNames.some((name: string) => name.startsWith("SHOEBOX_INTERNAL_")));
  });

  test("a function resolves npm: imports from its deno.json and calls the platform with supabase-js", async () => {
    const { data, error } = await t.anon().functions.invoke("client");
    assert.equal(error, null);
    assert.deepEqual(data, { echoed: "from a function", error: null });
  });

  test("sub-paths and the query string reach the function", async () => {
    const response = await call("echo/albums/42?x=1", { headers: bearer(SERVICE_ROLE_KEY) });
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.equal(body.path, "/echo/albums/42");
    assert.equal(body.query, "?x=1");
  });

  test("the request body streams through and back unchanged", async () => {
    const payload = new Uint8Array(5 * 1024 * 1024).map((_, i) => (i * 31) % 251);
    const response = await call("echo?stream", { method: "POST", body: payload, headers: { ...bearer(ANON_KEY), "content-type": "application/octet-stream" } });
    assert.equal(response.status, 200);
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), payload);
  });

  test("the CORS preflight skips verification and is answered by the function itself", async () => {
    const response = await call("echo", { method: "OPTIONS", headers: { Origin: "http://localhost:3000", "Access-Control-Request-Method": "POST" } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("x-answered-by"), "echo");
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
  });

  test("verify_jwt answers 401 with the runtime's messages", async () => {
    const cases: [HeadersInit, string][] = [
      [{}, "Error: Missing authorization header"],
      [{ Authorization: "Token abc" }, "Error: Auth header is not 'Bearer {token}'"],
      // Without Authorization the gateway copies an unknown apikey as-is, without `Bearer ` (docs/supabase-behaviour.md#apikey-to-authorization).
      [{ apikey: ANON_KEY }, "Error: Auth header is not 'Bearer {token}'"],
      [bearer("not-a-jwt"), "Invalid JWT"],
      [bearer(await signJwt({ role: "anon", exp: Math.floor(Date.now() / 1000) - 60 })), "Invalid JWT"],
      [bearer(await signJwt({ role: "anon" }, "another-secret-that-is-at-least-32-characters")), "Invalid JWT"],
    ];
    for (const [headers, msg] of cases) {
      const response = await call("echo", { method: "POST", headers });
      assert.equal(response.status, 401, msg);
      assert.deepEqual(await response.json(), { msg });
    }
  });

  test("the publishable key alone is mapped to the anon JWT and passes", async () => {
    const response = await call("echo", { method: "POST", headers: { apikey: PUBLISHABLE_KEY } });
    assert.equal(response.status, 200);
    assert.equal((await response.json()).authorization, `Bearer ${ANON_KEY}`);
  });

  test("invoke surfaces a rejected JWT as FunctionsHttpError with the 401 response", async () => {
    const { data, error } = await t.anon().functions.invoke("echo", { headers: bearer("nope") });
    assert.equal(data, null);
    assert.ok(error instanceof FunctionsHttpError);
    assert.equal(error.context.status, 401);
    assert.deepEqual(await error.context.json(), { msg: "Invalid JWT" });
  });

  test("unknown functions, `_shared` and `tests` answer 404 Function not found", async () => {
    for (const name of ["no-such-function", "_shared", "tests", "_shared/report.ts"]) {
      const response = await call(name, { headers: bearer(ANON_KEY) });
      assert.equal(response.status, 404, name);
      assert.equal(await response.text(), "Function not found");
    }
  });

  test("a function that cannot boot answers 503 BOOT_ERROR", async () => {
    for (const name of ["broken", "missing-import"]) {
      const { error } = await t.anon().functions.invoke(name);
      assert.ok(error instanceof FunctionsHttpError, name);
      assert.equal(error.context.status, 503);
      assert.deepEqual(await error.context.json(), { code: "BOOT_ERROR", message: "Worker failed to boot (please check logs)" });
    }
  });

  test("a throwing handler and a crashing worker answer 500 WORKER_ERROR; the next request boots again", async () => {
    for (const mode of ["throw", "exit", "throw"]) {
      const response = await call(`crash?mode=${mode}`, { headers: bearer(ANON_KEY) });
      assert.equal(response.status, 500, mode);
      assert.deepEqual(await response.json(), { code: "WORKER_ERROR", message: "Function exited due to an error (please check logs)" });
    }
  });
});
