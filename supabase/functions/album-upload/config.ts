// Configuration read once at start-up into a typed object. A bad value stops the worker at boot with
// the variable's name, instead of failing later in the middle of someone's upload.
import { LIMIT_DEFAULTS, type UploadLimits } from "../_shared/limits.ts";

// The defaults (the Free plan) are defined beside the limits' type, where the app reads them too.
export { LIMIT_DEFAULTS };

const LIMIT_VARS: Record<keyof UploadLimits, string> = {
  archiveBytes: "ALBUM_MAX_ARCHIVE_BYTES",
  uncompressedBytes: "ALBUM_MAX_UNCOMPRESSED_BYTES",
  bytesPerPhoto: "ALBUM_MAX_ENTRY_BYTES",
  entryCount: "ALBUM_MAX_ENTRIES",
  maxRatio: "ALBUM_MAX_RATIO",
};

export interface FunctionConfig {
  supabaseUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  limits: UploadLimits;
  /** Where archives are spooled; /tmp is the only writable place in a worker (docs/supabase-behaviour.md#file-system-and-tmp). */
  spoolDir: string;
}

export class ConfigError extends Error {}

/** Reads the configuration from `env`; throws ConfigError naming the first bad variable. */
export function readConfig(env: (name: string) => string | undefined): FunctionConfig {
  const required = (name: string) => {
    const value = env(name);
    if (!value) throw new ConfigError(`Missing environment variable ${name}`);
    return value;
  };
  const limits = { ...LIMIT_DEFAULTS };
  for (const [key, name] of Object.entries(LIMIT_VARS) as [keyof UploadLimits, string][]) {
    const raw = env(name);
    if (raw === undefined || raw === "") continue;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new ConfigError(`${name} must be a positive whole number, got "${raw}"`);
    }
    limits[key] = value;
  }
  const supabaseUrl = required("SUPABASE_URL").replace(/\/+$/, "");
  try {
    new URL(supabaseUrl);
  } catch {
    throw new ConfigError(`SUPABASE_URL is not a URL: "${supabaseUrl}"`);
  }
  return {
    supabaseUrl,
    anonKey: required("SUPABASE_ANON_KEY"),
    serviceRoleKey: required("SUPABASE_SERVICE_ROLE_KEY"),
    limits,
    spoolDir: env("ALBUM_SPOOL_DIR") || "/tmp",
  };
}
