// `npm test`: every layer in turn — unit and platform contract tests (node:test), the functions' Deno
// tests, then the end-to-end suite in Chromium. Stops at the first failing layer, and ends with one
// line adding up what every layer ran.
import { spawn } from "node:child_process";
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

// How each runner states its totals (ANSI colours removed first).
const TOTALS = {
  node: (text) => [/^# pass (\d+)$/m, /^# fail (\d+)$/m].map((re) => Number(re.exec(text)?.[1] ?? 0)),
  deno: (text) => [/(\d+) passed/, /(\d+) failed/].map((re) => Number(re.exec(text)?.[1] ?? 0)),
  e2e: (text) => [/^\s*(\d+) passed/m, /^\s*(\d+) failed/m].map((re) => Number(re.exec(text)?.[1] ?? 0)),
};

const total = { passed: 0, failed: 0 };

/** Runs one layer with its output shown live, and adds its totals. */
function run(layer, title, command, args) {
  console.log(`\n▶ ${title}: ${command} ${args.join(" ")}`);
  return new Promise((done) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    child.stdout.on("data", (chunk) => (process.stdout.write(chunk), (text += chunk)));
    child.stderr.on("data", (chunk) => process.stderr.write(chunk));
    child.on("close", (code, signal) => {
      const [passed, failed] = TOTALS[layer](text.replace(/\x1b\[[0-9;]*m/g, ""));
      total.passed += passed;
      total.failed += failed;
      if (code !== 0) {
        console.error(`✖ ${title} failed (exit ${code ?? signal})`);
        console.log(`tests: ${total.passed} passed, ${Math.max(total.failed, 1)} failed`);
        process.exit(code || 1);
      }
      done();
    });
  });
}

const only = process.argv[2];
const layers = {
  node: () => run("node", "unit and platform tests", process.execPath, ["--import", "tsx", "--test", "--test-timeout=300000", ...findTests(".").sort()]),
  deno: () => run("deno", "function tests (Deno)", "npx", ["deno", "test", "--cached-only", "--node-modules-dir=manual", "--config", "supabase/functions/album-upload/deno.json", "--allow-read", "--allow-write", "--allow-env", "supabase/functions/tests/"]),
  e2e: () => run("e2e", "end-to-end tests (Chromium)", "npx", ["playwright", "test"]),
};
for (const [name, layer] of Object.entries(layers)) if (!only || only === name) await layer();
console.log(`tests: ${total.passed} passed, ${total.failed} failed`);
