/**
 * How long to wait before sending a segment again. Which failures are worth retrying is the
 * protocol's call (each problem code says); this module only paces the retries. Pure; see
 * upload-sequence.test.ts.
 */
import { UploadError } from "@/lib/upload-error";

/** The first wait after a failure; each next one doubles, up to MAX_BACKOFF_MS. */
export const FIRST_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_MS = 20_000;
/**
 * How long one segment keeps being retried. Longer than one worker lives (150 s wall clock): a segment
 * another worker holds is free again at the latest when that worker's lease runs out.
 */
export const RETRY_FOR_MS = 4 * 60_000;

export function isRetryable(error: unknown): error is UploadError {
  return error instanceof UploadError && error.retryable;
}

/**
 * The wait before retry number `attempt` (1 = the first): the server's own Retry-After when it gave
 * one (a leased segment is free when its lease ends), else doubling waits with jitter so parallel
 * retries spread out.
 */
export function retryDelayMs(error: UploadError, attempt: number, random: () => number = Math.random): number {
  if (error.retryAfterSeconds && error.retryAfterSeconds > 0) return Math.min(RETRY_FOR_MS, error.retryAfterSeconds * 1000);
  const ceiling = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}
