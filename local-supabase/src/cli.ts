import { startPlatform } from "./platform.ts";
import { ANON_KEY, SERVICE_ROLE_KEY } from "./shared/keys.ts";

/** `npm run platform [-- --port N --memory --plan pro --data-dir DIR --latency 40ms]`: the local platform alone. */
const args = process.argv.slice(2);
const flag = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};

try {
  const platform = await startPlatform({
    port: flag("port") ? Number(flag("port")) : undefined,
    memory: args.includes("--memory"),
    dataDir: flag("data-dir"),
    plan: flag("plan") as "free" | "pro" | undefined,
    latency: flag("latency"),
  });
  console.log(`Shoebox local Supabase platform on ${platform.url}`);
  console.log(`  anon key:         ${ANON_KEY}`);
  console.log(`  service_role key: ${SERVICE_ROLE_KEY}`);
  console.log(`  plan:             ${platform.context.plan.name}`);
  console.log(`  mail:             ${platform.url}/mail (password-reset mail Auth sent)`);
  const latency = flag("latency") ?? process.env.SHOEBOX_LATENCY;
  if (latency) console.log(`  latency:          ${latency} added to every API call`);
  const stop = async () => {
    await platform.close();
    process.exit(0);
  };
  let stopping = false;
  const stopOnce = () => {
    if (stopping) return;
    stopping = true;
    // Edge Functions may take a few seconds to let running jobs record where they stopped.
    console.log("Stopping: running functions finish what they can first (press Ctrl-C again to stop at once)…");
    process.once("SIGINT", () => process.exit(130));
    void stop();
  };
  process.once("SIGINT", stopOnce);
  process.once("SIGTERM", stopOnce);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
