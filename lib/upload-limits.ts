/**
 * What the album-upload function accepts. It publishes its limits at GET /functions/v1/album-upload
 * (the same names as its configuration), so the browser can refuse an archive before sending a byte.
 */
import { LIMIT_DEFAULTS, type UploadLimits } from "../supabase/functions/_shared/limits.ts";

// The function's own definitions, imported rather than copied, so the browser's checks and the server's
// cannot drift apart.
export type { UploadLimits };
export { RATIO_FLOOR_BYTES } from "../supabase/functions/_shared/limits.ts";

/** The function's own defaults (the Free plan, docs/architecture.md#limits), used only when it cannot be asked. */
export const DEFAULT_LIMITS: UploadLimits = LIMIT_DEFAULTS;

function positive(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Keeps the defaults for anything the answer lacks, so an older function still gets a sane check. */
export function parseLimits(body: unknown): UploadLimits {
  const source = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(limits) as (keyof UploadLimits)[]) limits[key] = positive(source[key]) ?? limits[key];
  return limits;
}
