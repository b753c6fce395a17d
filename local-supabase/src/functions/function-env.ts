import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { PlatformContext } from "../service-contract.ts";
import { ANON_KEY, PUBLISHABLE_KEY, SECRET_KEY, SERVICE_ROLE_KEY } from "../shared/keys.ts";

/**
 * The environment a function sees (docs/supabase-behaviour.md#function-environment): the SUPABASE_* variables local serve injects, with
 * SUPABASE_URL pointing at this platform, plus `functions/.env` and an `--env-file`. Nothing of the host's own environment
 * (HOME, PATH, …) is passed on.
 */
export function functionEnv(context: PlatformContext, functionsDir: string): Record<string, string> {
  const env: Record<string, string> = {};
  // `functions/.env`, then the file named like `supabase functions serve --env-file` (option functionsEnvFile).
  const extra = typeof context.options.functionsEnvFile === "string" ? context.options.functionsEnvFile : null;
  if (extra && !existsSync(extra)) throw new Error(`The functions env file ${extra} does not exist.`);
  for (const file of [join(functionsDir, ".env"), ...(extra ? [extra] : [])]) {
    if (!existsSync(file)) continue;
    for (const [name, value] of parseDotenv(readFileSync(file, "utf8"))) {
      // User secrets may not start with SUPABASE_ (docs/supabase-behaviour.md#function-environment); the CLI skips them with a warning.
      if (name.startsWith("SUPABASE_")) context.log(`[functions] ${file}: skipping ${name} (names may not start with SUPABASE_)`);
      else env[name] = value;
    }
  }
  return {
    ...env,
    SUPABASE_URL: context.url,
    SUPABASE_ANON_KEY: ANON_KEY,
    SUPABASE_SERVICE_ROLE_KEY: SERVICE_ROLE_KEY,
    SUPABASE_DB_URL: "postgresql://postgres:postgres@127.0.0.1:54322/postgres", // docs/supabase-behaviour.md#demo-credentials; the platform has no TCP Postgres
    SUPABASE_PUBLISHABLE_KEYS: JSON.stringify({ default: PUBLISHABLE_KEY }),
    SUPABASE_SECRET_KEYS: JSON.stringify({ default: SECRET_KEY }),
    // The same set /auth/v1/.well-known/jwks.json publishes, so a function can verify user tokens offline.
    SUPABASE_JWKS: JSON.stringify({ keys: [context.keys.signing.publicJwk] }),
  };
}

/** `KEY=value` lines; `#` comments, optional `export `, single or double quotes. */
function parseDotenv(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || line.trim().startsWith("#")) continue;
    let value = match[2];
    const quoted = /^(["'])(.*)\1$/.exec(value);
    if (quoted) value = quoted[1] === '"' ? quoted[2].replace(/\\n/g, "\n") : quoted[2];
    else value = value.replace(/\s+#.*$/, "");
    pairs.push([match[1], value]);
  }
  return pairs;
}
