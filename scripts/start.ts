/**
 * `npm start` / `npm run dev`: the local Supabase platform (unless the env points at a hosted project),
 * then the Next.js app on http://localhost:3000. Ctrl-C stops both.
 *
 *   --dev        next dev, and functions reload on edit
 *   --memory     a throw-away platform (end-to-end tests)
 *   --port N     the app's port (default 3000)
 *   --latency 40ms           a hosted project's round trip on every API call (or SHOEBOX_LATENCY=40ms)
 *   --functions-env FILE     variables for the functions, like `supabase functions serve --env-file`
 *   --function-tmp-bytes N   each function worker's /tmp quota (end-to-end tests make it test-sized)
 *   --guest-sign-ins-per-hour N   Auth's anonymous_users limit for this platform only (end-to-end runs
 *                                  sign in more guests from 127.0.0.1 than config.toml lets one address)
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startPlatform, type Platform } from "../local-supabase/src/platform.ts";
import { ANON_KEY, DEFAULT_PORT } from "../local-supabase/src/shared/keys.ts";

const args = process.argv.slice(2);
const dev = args.includes("--dev");
const memory = args.includes("--memory");
const portFlag = args.indexOf("--port");
const appPort = Number(portFlag >= 0 ? args[portFlag + 1] : process.env.PORT || 3000);
const flagValue = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const functionsEnvFile = flagValue("--functions-env");
const functionTmpBytes = flagValue("--function-tmp-bytes");
if (functionTmpBytes !== undefined && !(Number(functionTmpBytes) > 0)) {
  console.error("--function-tmp-bytes needs a number of bytes, e.g. --function-tmp-bytes 12582912");
  process.exit(1);
}
const guestSignInsPerHour = flagValue("--guest-sign-ins-per-hour");
if (guestSignInsPerHour !== undefined && !(Number.isInteger(Number(guestSignInsPerHour)) && Number(guestSignInsPerHour) > 0)) {
  console.error("--guest-sign-ins-per-hour needs a whole number, e.g. --guest-sign-ins-per-hour 1000");
  process.exit(1);
}
if (!Number.isInteger(appPort) || appPort <= 0) {
  console.error("--port needs a port number, e.g. npm start -- --port 3001");
  process.exit(1);
}
const LOCAL_URL = `http://127.0.0.1:${DEFAULT_PORT}`;

const supabaseUrl = process.env.NEXT_PUBLIC_SUPABASE_URL ?? LOCAL_URL;
const anonKey = process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY ?? ANON_KEY;
const local = /^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/?$/.test(supabaseUrl);
const appEnv = { ...process.env, NEXT_PUBLIC_SUPABASE_URL: supabaseUrl, NEXT_PUBLIC_SUPABASE_ANON_KEY: anonKey };

function fail(message: string): never {
  console.error(`\n✖ ${message}\n`);
  process.exit(1);
}

async function assertPortFree(port: number, what: string): Promise<void> {
  await new Promise<void>((done) => {
    const probe = createServer();
    probe.once("error", () => fail(`Port ${port} is already in use, so ${what} cannot start. Stop the other process, or choose another port (${what === "the app" ? "--port N" : "see README"}).`));
    probe.listen(port, () => probe.close(() => done()));
  });
}

/** The newest modification time under the app's sources: a build older than them is stale. */
function newestSourceChange(paths: string[]): number {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    newest = Math.max(newest, stat.mtimeMs);
    if (stat.isDirectory()) newest = Math.max(newest, newestSourceChange(readdirSync(path).map((name) => join(path, name))));
  }
  return newest;
}

/** NEXT_PUBLIC_* values are inlined at build time, so a build made for other values, or older sources, is rebuilt. */
function ensureBuild(): void {
  const stampFile = ".next/shoebox-build-env.json";
  // The app imports zero-import modules from supabase/functions/_shared/ too (the progress contract, limits, formatting).
  const sources = ["app", "components", "hooks", "lib", "proxy.ts", "next.config.mjs", "package-lock.json", "supabase/functions/_shared"];
  const stamp = JSON.stringify({ supabaseUrl, anonKey, sources: newestSourceChange(sources) });
  if (existsSync(".next/BUILD_ID") && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) return;
  console.log("Building the app (first start, or the Supabase URL changed)…");
  const build = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: appEnv });
  if (build.status !== 0) fail("The app did not build; see the errors above.");
  writeFileSync(stampFile, stamp);
}

let platform: Platform | undefined;
// Set once the platform is up; stop() may run before that (Ctrl-C during start-up).
let app: ChildProcess | undefined = undefined;

async function stop(code = 0): Promise<never> {
  // `npx next` starts next-server as its own child: signal the whole group, or the server outlives us.
  if (app?.pid && app.exitCode === null) {
    try {
      process.kill(-app.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  await platform?.close();
  process.exit(code);
}
process.once("SIGINT", () => void stop(0));
process.once("SIGTERM", () => void stop(0));

await assertPortFree(appPort, "the app");
if (local) {
  await assertPortFree(DEFAULT_PORT, "the local Supabase platform");
  platform = await startPlatform({
    port: DEFAULT_PORT,
    memory,
    watch: dev,
    latency: flagValue("--latency"),
    functionsEnvFile,
    functionLimits: functionTmpBytes ? { functionTmpBytes: Number(functionTmpBytes) } : undefined,
    authRateLimits: guestSignInsPerHour ? { anonymousUsers: Number(guestSignInsPerHour) } : undefined,
  }).catch((error: Error) => fail(error.message));
  console.log(`Local Supabase platform on ${platform.url} (plan: ${platform.context.plan.name}); mail Auth sends is at ${platform.url}/mail`);
} else {
  console.log(`Using the Supabase project at ${supabaseUrl}; the local platform is not started.`);
}

if (!dev) ensureBuild();
app = spawn("npx", ["next", dev ? "dev" : "start", "-p", String(appPort)], { stdio: "inherit", env: appEnv, detached: true });
app.once("exit", (code) => {
  if (code) console.error(`The app exited with code ${code}.`);
  void stop(code ?? 0);
});
console.log(`Shoebox on http://localhost:${appPort}`);
