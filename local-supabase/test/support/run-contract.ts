// The platform contract suite (`local-supabase/test/`), run in either mode:
//   npm run test:contract                                   every file, each against its own in-memory platform
//   SHOEBOX_CONTRACT_URL=http://127.0.0.1:54321 npm run test:contract
//                                                           only files marked "// @contract black-box",
//                                                           against that URL (see local-supabase/README.md)
// Test files named as arguments narrow the run to them; other arguments go to `node --test`
// (e.g. --test-name-pattern=listV2).
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CONTRACT_TARGET, isBlackBoxFile } from "./contract-target.ts";

const testDir = fileURLToPath(new URL("..", import.meta.url));
const named = process.argv.slice(2).filter((arg) => arg.endsWith(".test.ts")).map((arg) => resolve(arg));
const nodeArgs = process.argv.slice(2).filter((arg) => !arg.endsWith(".test.ts"));
const files = readdirSync(testDir, { recursive: true, encoding: "utf8" })
  .filter((name) => name.endsWith(".test.ts"))
  .map((name) => join(testDir, name))
  .filter((file) => named.length === 0 || named.includes(file))
  .sort();
const chosen = CONTRACT_TARGET ? files.filter(isBlackBoxFile) : files;
const left = files.filter((file) => !chosen.includes(file));

console.log(CONTRACT_TARGET ? `Black-box contract tests against ${CONTRACT_TARGET.url}` : "Contract tests against in-memory platforms");
for (const file of left) console.log(`  skipped (internal): ${relative(process.cwd(), file)}`);

// One file at a time: a shared target sees one run's traffic at a time, and the machine's cores stay free.
const run = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", "--test-timeout=300000", ...nodeArgs, ...chosen], {
  stdio: "inherit",
});
process.exit(run.status ?? 1);
