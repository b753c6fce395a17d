// Refusals as the protocol defines them (upload-protocol.ts): `{ code, message }` with the code's HTTP
// status, and Retry-After when the code says to come back later.
import { json } from "../_shared/cors.ts";
import { type ProblemBody, type ProblemCode, problemBody, PROBLEMS, UploadProblem } from "../_shared/upload-protocol.ts";

export function problem(code: ProblemCode, message?: string, extra?: Omit<ProblemBody, "code" | "message">): Response {
  const body = problemBody(code, message, extra);
  const headers: Record<string, string> = body.retryAfterSeconds ? { "Retry-After": String(body.retryAfterSeconds) } : {};
  return json(PROBLEMS[code].status, body, headers);
}

/** Other uploads free /tmp within seconds (a segment is spooled in well under a minute). */
const TMP_FULL_RETRY_SECONDS = 5;

export function problemFrom(error: UploadProblem): Response {
  return problem(error.code, error.message, error.code === "tmp_full" ? { retryAfterSeconds: TMP_FULL_RETRY_SECONDS } : undefined);
}

/** The request's body is not wanted: release it so the connection is not left half-read. */
export async function discardBody(req: Request): Promise<void> {
  await req.body?.cancel().catch(() => {});
}
