import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestPlatform, type TestPlatform } from "./support/platform.ts";

// A project of its own: config.toml's [functions.<name>] tables (docs/supabase-behaviour.md#imports-serve-and-deploy) and watch mode (`npm run dev`),
// where an edited function answers from its new code on the next request.
describe("functions: config.toml and watch mode", () => {
  let t: TestPlatform;
  let project: string;
  const functions = () => join(project, "supabase", "functions");
  const write = (path: string, text: string) => {
    mkdirSync(join(functions(), path, ".."), { recursive: true });
    writeFileSync(join(functions(), path), text);
  };
  const answer = (text: string) => `import { suffix } from "../_shared/suffix.ts";\nDeno.serve(() => new Response(${JSON.stringify(text)} + suffix));\n`;
  const call = async (name: string) => {
    const response = await fetch(`${t.url}/functions/v1/${name}`);
    return { status: response.status, text: await response.text() };
  };

  before(async () => {
    project = mkdtempSync(join(tmpdir(), "shoebox-functions-config-"));
    mkdirSync(join(project, "supabase"), { recursive: true });
    writeFileSync(
      join(project, "supabase", "config.toml"),
      [
        "[functions.open]", "verify_jwt = false",
        "[functions.custom]", "verify_jwt = false", 'entrypoint = "./functions/custom/main.ts"',
        "[functions.off]", "enabled = false", "verify_jwt = false",
        "[functions.guarded]",
      ].join("\n"),
    );
    write("_shared/suffix.ts", 'export const suffix = "";\n');
    write("open/index.ts", answer("open v1"));
    write("custom/main.ts", answer("custom entrypoint"));
    write("off/index.ts", answer("should not run"));
    write("guarded/index.ts", answer("guarded"));
    t = await startTestPlatform({ supabaseDir: join(project, "supabase"), watch: true });
  });
  after(async () => {
    await t.close();
    rmSync(project, { recursive: true, force: true });
  });

  test("verify_jwt = false lets calls without a JWT through; a table without it still verifies", async () => {
    assert.deepEqual(await call("open"), { status: 200, text: "open v1" });
    assert.deepEqual(await call("guarded"), { status: 401, text: JSON.stringify({ msg: "Error: Missing authorization header" }) });
  });

  test("a configured entrypoint is used and a disabled function is not found", async () => {
    assert.deepEqual(await call("custom"), { status: 200, text: "custom entrypoint" });
    assert.deepEqual(await call("off"), { status: 404, text: "Function not found" });
  });

  test("in watch mode edits to the function or _shared apply on the next request", async () => {
    assert.equal((await call("open")).text, "open v1");
    write("open/index.ts", answer("open v2"));
    assert.equal((await call("open")).text, "open v2");
    write("_shared/suffix.ts", 'export const suffix = " (shared edited)";\n');
    assert.equal((await call("open")).text, "open v2 (shared edited)");
  });

  test("a broken edit answers BOOT_ERROR until it is fixed", async () => {
    write("open/index.ts", "Deno.serve(() => new Response('oops' ;\n");
    assert.equal((await call("open")).status, 503);
    write("open/index.ts", answer("open v3"));
    assert.equal((await call("open")).text, "open v3 (shared edited)");
  });
});
