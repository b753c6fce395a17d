// `npm test`: every layer in turn — unit and platform contract tests (node:test), the functions' Deno
// tests, then the end-to-end suite in Chromium. Stops at the first failing layer.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const SKIP = new Set(["node_modules", ".next", ".git", "e2e", "supabase", "test-results", ".local-supabase"]);

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (/\.test\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

function run(title, command, args, options = {}) {
  console.log(`\n▶ ${title}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", ...options });
  if (result.status !== 0) {
    console.error(`✖ ${title} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

const only = process.argv[2];
const layers = {
  node: () => run("unit and platform tests", process.execPath, ["--import", "tsx", "--test", "--test-timeout=300000", ...findTests(".").sort()]),
  deno: () => run("function tests (Deno)", "npx", ["deno", "test", "--cached-only", "--node-modules-dir=manual", "--config", "supabase/functions/album-upload/deno.json", "--allow-read", "--allow-write", "--allow-env", "supabase/functions/tests/"]),
  e2e: () => run("end-to-end tests (Chromium)", "npx", ["playwright", "test"]),
};
for (const [name, layer] of Object.entries(layers)) if (!only || only === name) layer();
