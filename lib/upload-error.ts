/**
 * The one error an upload ends with, whatever refused it: the browser's pre-flight, the function, the
 * platform in front of it, or a lost connection. `code` is one of the protocol's closed list (which
 * also says whether sending again can help), `message` what the person reads, `retryAfterSeconds` when
 * the server said how long to wait before sending again, and `album` the album that already holds the
 * archive (`already_imported`).
 */
import { PROBLEMS, type ProblemCode } from "@/lib/upload-protocol";

export class UploadError extends Error {
  readonly retryAfterSeconds?: number;
  readonly album?: string;

  constructor(readonly code: ProblemCode, details: { message?: string; retryAfterSeconds?: number; album?: string } = {}) {
    super(details.message ?? PROBLEMS[code].message);
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.album = details.album;
    this.name = "UploadError";
  }

  /** Sending the same request again later can succeed (the protocol says so per code). */
  get retryable(): boolean {
    return PROBLEMS[this.code].retry;
  }
}

/** The person pressed Cancel (or left): not a failure, nothing to report. */
export class UploadCancelled extends Error {
  constructor() {
    super("The upload was cancelled.");
    this.name = "UploadCancelled";
  }
}
