/**
 * What the album-upload function publishes at GET: its limits and, once it sends archives in
 * segments, the per-invocation figures its plans use. The browser refuses only what no plan can take:
 * with segments that is the archive ceiling (50 GB unless configured), not one invocation's /tmp.
 */
import { DEFAULT_ARCHIVE_CEILING_BYTES } from "@/lib/upload-protocol";
import { DEFAULT_LIMITS, parseLimits, type UploadLimits } from "@/lib/upload-limits";

export type UploadFigures = {
  /** The pre-flight's limits; `archiveBytes` is the largest archive this function takes in any form. */
  limits: UploadLimits;
  /** The function plans segments (it publishes segment figures); else one request carries the whole zip. */
  segmented: boolean;
  /** Bytes per second one segment request is assumed to carry when the browser measured none. */
  assumedUploadRate?: number;
};

/** When the function cannot be asked: it plans segments, so only the default ceiling stops an archive. */
export const DEFAULT_FIGURES: UploadFigures = {
  limits: { ...DEFAULT_LIMITS, archiveBytes: DEFAULT_ARCHIVE_CEILING_BYTES },
  segmented: true,
};

const positive = (value: unknown) => (typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined);

export function parseFigures(body: unknown): UploadFigures {
  const source = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const limits = parseLimits(body);
  const segmented = positive(source.segmentsPerWorker) !== undefined && positive(source.maxSegmentBytes) !== undefined;
  if (!segmented) return { limits, segmented };
  return {
    limits: { ...limits, archiveBytes: positive(source.archiveCeilingBytes) ?? DEFAULT_ARCHIVE_CEILING_BYTES },
    segmented,
    assumedUploadRate: positive(source.assumedUploadRate),
  };
}

export async function fetchFigures(supabaseUrl: string, apiKey: string, accessToken: string): Promise<UploadFigures> {
  const response = await fetch(`${supabaseUrl}/functions/v1/album-upload`, {
    headers: { apikey: apiKey, Authorization: `Bearer ${accessToken}` },
  });
  if (!response.ok) throw new Error(`The upload service answered ${response.status}.`);
  return parseFigures(await response.json());
}
