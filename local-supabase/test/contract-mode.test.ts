import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startTestPlatform, type ContractPlatform } from "./support/platform.ts";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Runs a command to its end with SHOEBOX_CONTRACT_URL set; stdout and stderr together. */
function run(args: string[], url: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    // Without the parent's NODE_TEST_CONTEXT, or node:test in the child would decline to run files.
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const child = spawn(process.execPath, ["--import", "tsx", ...args], { env: { ...env, SHOEBOX_CONTRACT_URL: url } });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (status) => resolve({ status, output }));
  });
}

/** The black-box switch, end to end: a platform in this process stands in for a remote target. */
describe("contract suite modes", () => {
  let target: ContractPlatform;
  before(async () => {
    target = await startTestPlatform();
  });
  after(() => target.close());

  test("black-box mode runs only marked files, against the URL, and lists the internal ones it skips", async () => {
    // Two files named, one of them internal: only the black-box one runs (one test of it, to stay quick).
    const files = [here("./storage-list-v2.test.ts"), here("./storage-limits.test.ts")];
    const { status, output } = await run([here("./support/run-contract.ts"), "--test-name-pattern=^list-v2 is a route", ...files], target.url);
    assert.equal(status, 0, output);
    assert.match(output, new RegExp(`Black-box contract tests against ${target.url}`));
    assert.match(output, /skipped \(internal\): \S*storage-limits\.test\.ts/);
    assert.doesNotMatch(output, /skipped \(internal\): \S*storage-list-v2\.test\.ts/);
    assert.doesNotMatch(output, /storage upload limits and failed uploads/);
    assert.match(output, /ok \d+ - list-v2 is a route, never a bucket named list-v2/);
    // The run cleaned up after itself on the target.
    assert.deepEqual((await target.service().storage.listBuckets()).data?.map((b) => b.id), ["photos"]);

    // And it really went to the URL: with nothing listening there, the same run fails.
    const nowhere = await run([here("./support/run-contract.ts"), "--test-name-pattern=^list-v2 is a route", files[0]], "http://127.0.0.1:9");
    assert.notEqual(nowhere.status, 0, nowhere.output);
  });

  test("an internal file run by hand in black-box mode is refused with the reason", async () => {
    const { status, output } = await run(["--test", here("./storage-limits.test.ts")], target.url);
    assert.notEqual(status, 0);
    assert.match(output, /storage-limits\.test\.ts is not marked "\/\/ @contract black-box"/);
  });
});
