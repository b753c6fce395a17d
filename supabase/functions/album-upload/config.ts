// Configuration read once at start-up into a typed object. A bad value stops the worker at boot with
// the variable's name, instead of failing later in the middle of someone's upload.
import { LIMIT_DEFAULTS, type UploadLimits } from "../_shared/limits.ts";
import { DEFAULT_ARCHIVE_CEILING_BYTES, type InvocationFigures, MAX_DIRECTORY_BYTES, SEGMENTS_IN_FLIGHT } from "../_shared/upload-protocol.ts";

// The defaults (the Free plan) are defined beside the limits' type, where the app reads them too.
export { LIMIT_DEFAULTS };

const LIMIT_VARS: Record<keyof UploadLimits, string> = {
  archiveBytes: "ALBUM_MAX_ARCHIVE_BYTES",
  uncompressedBytes: "ALBUM_MAX_UNCOMPRESSED_BYTES",
  bytesPerPhoto: "ALBUM_MAX_ENTRY_BYTES",
  entryCount: "ALBUM_MAX_ENTRIES",
  maxRatio: "ALBUM_MAX_RATIO",
};

/**
 * What one invocation can do, as segment plans use it. The CPU and wall-clock costs are measured by
 * `npm run bench` (charged CPU of the worker's JavaScript thread) with margin; see
 * docs/architecture.md#segment-plan. The hosted Free plan gives every worker 2 s of CPU and 150 s.
 */
export const FIGURE_DEFAULTS = {
  wallClockMs: 150_000, // ALBUM_WALL_CLOCK_MS: the worker's wall clock (Free 150 s, paid 400 s)
  cpuMs: 2_000, // ALBUM_CPU_MS: CPU per invocation
  archiveCeilingBytes: DEFAULT_ARCHIVE_CEILING_BYTES, // ALBUM_ARCHIVE_CEILING_BYTES: largest archive any plan takes
} as const;

const FIGURE_VARS = {
  wallClockMs: "ALBUM_WALL_CLOCK_MS",
  cpuMs: "ALBUM_CPU_MS",
  archiveCeilingBytes: "ALBUM_ARCHIVE_CEILING_BYTES",
} as const;

/** The published figures for these limits: /tmp is the single request's archive limit and the segments' pool. */
export function invocationFigures(limits: UploadLimits, base: { wallClockMs: number; cpuMs: number; archiveCeilingBytes: number }): InvocationFigures {
  return {
    tmpBytes: limits.archiveBytes,
    // A worker holds the segments it is receiving and those still extracting (their files stay until the
    // extraction ends): twice the requests in flight. A little under an even share, for margin.
    segmentsPerWorker: 2 * SEGMENTS_IN_FLIGHT,
    maxSegmentBytes: Math.floor((limits.archiveBytes / (2 * SEGMENTS_IN_FLIGHT)) * 0.9),
    maxEntrySegmentBytes: Math.floor((limits.archiveBytes / SEGMENTS_IN_FLIGHT) * 0.9),
    cpuMs: base.cpuMs,
    // A worker's CPU is counted over its whole life, and it keeps taking requests until its soft limit
    // (half the hard one): several segments share one worker, so each plans for a tenth of it.
    cpuShare: 0.1,
    // Charged CPU of every worker a segmented run boots, boot included, divided out (npm run bench --
    // --only stored-1g,small-10k,segmented; docs/architecture.md#segment-plan): 10,000 photos of 20 KB cost
    // 0.94 ms each in all on a loaded two-core machine, of which ~0.13 ms is their inflating (the per-MiB
    // figure below); stored-1g 2.3 s per GB idle and 3.0 s loaded, ~0.3 s of it its 333 entries. Each
    // figure is the loaded one with about a fifth on top. Deflated bytes were not measured again.
    cpuMsPerEntry: 1.0,
    cpuMsPerStoredMiB: 3.3,
    cpuMsPerDeflatedMiB: 7.0,
    // Wall clock per entry and per MiB while extracting; they bind only on very slow Storage.
    extractMsPerEntry: 6,
    extractMsPerMiB: 25,
    wallClockMs: base.wallClockMs,
    sendSeconds: 30,
    assumedUploadRate: 1024 * 1024,
    singleRequestBytes: limits.archiveBytes,
    archiveCeilingBytes: base.archiveCeilingBytes,
    bytesPerPhoto: limits.bytesPerPhoto,
    entryCount: limits.entryCount,
    // One invocation's expansion limit bounds a single request; a segmented archive is bounded per
    // segment by the same limit, and as a whole by what the ceiling lets in (photos barely compress).
    uncompressedBytes: Math.max(limits.uncompressedBytes, base.archiveCeilingBytes),
    maxRatio: limits.maxRatio,
    maxDirectoryBytes: MAX_DIRECTORY_BYTES,
  };
}

export interface FunctionConfig {
  supabaseUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  limits: UploadLimits;
  figures: InvocationFigures;
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
  const base: { wallClockMs: number; cpuMs: number; archiveCeilingBytes: number } = { ...FIGURE_DEFAULTS };
  for (const [key, name] of Object.entries(FIGURE_VARS) as [keyof typeof FIGURE_VARS, string][]) {
    const raw = env(name);
    if (raw === undefined || raw === "") continue;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value <= 0) throw new ConfigError(`${name} must be a positive whole number, got "${raw}"`);
    base[key] = value;
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
    figures: invocationFigures(limits, base),
    spoolDir: env("ALBUM_SPOOL_DIR") || "/tmp",
  };
}
