import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PlatformContext } from "../service-contract.ts";
import { functionEnv } from "./function-env.ts";

function contextWith(options: Record<string, unknown>, logged: string[] = []): PlatformContext {
  const keys = { signing: { publicJwk: { kty: "EC" } } };
  return { url: "http://127.0.0.1:1", options, keys, log: (line: string) => logged.push(line) } as unknown as PlatformContext;
}

test("an --env-file adds to functions/.env and wins over it, as `supabase functions serve --env-file` does", () => {
  const dir = mkdtempSync(join(tmpdir(), "function-env-"));
  writeFileSync(join(dir, ".env"), "ALBUM_MAX_ARCHIVE_BYTES=1\nKEPT=from-dot-env\n");
  const extra = join(dir, "e2e.env");
  writeFileSync(extra, "# test-sized\nALBUM_MAX_ARCHIVE_BYTES=12582912\nSUPABASE_URL=http://wrong.example\n");
  const logged: string[] = [];
  const env = functionEnv(contextWith({ functionsEnvFile: extra }, logged), dir);
  assert.equal(env.ALBUM_MAX_ARCHIVE_BYTES, "12582912");
  assert.equal(env.KEPT, "from-dot-env");
  assert.equal(env.SUPABASE_URL, "http://127.0.0.1:1", "SUPABASE_* names stay the platform's");
  assert.ok(logged.some((line) => line.includes("skipping SUPABASE_URL")));
});

test("an --env-file that does not exist stops the platform, naming it", () => {
  const dir = mkdtempSync(join(tmpdir(), "function-env-"));
  assert.throws(() => functionEnv(contextWith({ functionsEnvFile: join(dir, "missing.env") }), dir), /missing\.env does not exist/);
});
