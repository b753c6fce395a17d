// The platform contract suite (`local-supabase/test/`), run in either mode:
//   npm run test:contract                                   every file, each against its own in-memory platform
//   SHOEBOX_CONTRACT_URL=http://127.0.0.1:54321 npm run test:contract
//                                                           only files marked "// @contract black-box",
//                                                           against that URL (see local-supabase/README.md)
// Extra arguments are passed to `node --test` (e.g. --test-name-pattern=listV2).
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { CONTRACT_TARGET, isBlackBoxFile } from "./contract-target.ts";

const testDir = fileURLToPath(new URL("..", import.meta.url));
const files = readdirSync(testDir, { recursive: true, encoding: "utf8" })
  .filter((name) => name.endsWith(".test.ts"))
  .map((name) => join(testDir, name))
  .sort();
const chosen = CONTRACT_TARGET ? files.filter(isBlackBoxFile) : files;
const left = files.filter((file) => !chosen.includes(file));

console.log(CONTRACT_TARGET ? `Black-box contract tests against ${CONTRACT_TARGET.url}` : "Contract tests against in-memory platforms");
for (const file of left) console.log(`  skipped (internal): ${relative(process.cwd(), file)}`);

// One file at a time: a shared target sees one run's traffic at a time, and the machine's cores stay free.
const run = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", "--test-timeout=300000", ...process.argv.slice(2), ...chosen], {
  stdio: "inherit",
});
process.exit(run.status ?? 1);
