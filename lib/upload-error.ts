/**
 * The one error an upload ends with, whatever refused it: the browser's pre-flight, the function, the
 * platform in front of it, or a lost connection. `code` is one of the protocol's closed list, `status`
 * the HTTP status (0: no answer), `message` what the person reads, `retryAfterSeconds` when the
 * server said how long to wait before sending again, and `album` the album that already holds the
 * archive (`already_imported`).
 */
import { PROBLEMS, type ProblemCode } from "@/lib/upload-protocol";

export class UploadError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly status: number,
    message: string = PROBLEMS[code].message,
    readonly retryAfterSeconds?: number,
    readonly album?: string,
  ) {
    super(message);
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
