import type { ServerResponse } from "node:http";

/**
 * Every error the auth service answers with, in one table (docs/supabase-behaviour.md#auth-errors). auth-js reads `code` from
 * the body only when the response carries `X-Supabase-Api-Version` ≥ 2024-01-01, so that header goes on
 * every response (see `sendAuth`).
 */
const AUTH_ERRORS = {
  bad_json: [400, "Could not parse request body as JSON"],
  validation_failed: [400, "Validation failed"],
  invalid_credentials: [400, "Invalid login credentials"],
  email_not_confirmed: [400, "Email not confirmed"],
  user_banned: [400, "User is banned"],
  refresh_token_not_found: [400, "Invalid Refresh Token: Refresh Token Not Found"],
  refresh_token_already_used: [400, "Invalid Refresh Token: Already Used"],
  session_expired: [400, "Invalid Refresh Token: Session Expired"],
  no_authorization: [401, "This endpoint requires a valid Bearer token"],
  bad_jwt: [403, "invalid JWT: unable to parse or verify signature"],
  session_not_found: [403, "Session from session_id claim in JWT does not exist"],
  user_not_found: [403, "User from sub claim in JWT does not exist"],
  not_admin: [403, "User not allowed"],
  not_found: [404, "Not Found"],
  method_not_allowed: [405, "Method Not Allowed"],
  user_already_exists: [422, "User already registered"],
  email_exists: [422, "A user with this email address has already been registered"],
  weak_password: [422, "Password should be at least 6 characters."],
  same_password: [422, "New password should be different from the old password."],
  signup_disabled: [422, "Signups not allowed for this instance"],
  email_provider_disabled: [422, "Email signups are disabled"],
  anonymous_provider_disabled: [422, "Anonymous sign-ins are disabled"],
  otp_expired: [403, "Token has expired or is invalid"],
  bad_code_verifier: [400, "code challenge does not match previously saved code verifier"],
  flow_state_not_found: [404, "invalid flow state, no valid flow state found"],
  flow_state_expired: [422, "invalid flow state, flow state has expired"],
  over_request_rate_limit: [429, "Request rate limit reached"],
  over_email_send_rate_limit: [429, "email rate limit exceeded"],
} as const satisfies Record<string, readonly [number, string]>;

export type AuthErrorCode = keyof typeof AUTH_ERRORS;

/** Thrown anywhere in the service; rendered once, in `sendAuthError`. */
export class AuthError extends Error {
  readonly status: number;
  readonly extra: Record<string, unknown>;
  constructor(
    readonly code: AuthErrorCode,
    message?: string,
    /** `extra`: more body fields, e.g. `weak_password: {reasons}` (docs/supabase-behaviour.md#auth-errors); `status` where GoTrue differs per route. */
    options: { extra?: Record<string, unknown>; status?: number } = {},
  ) {
    super(message ?? AUTH_ERRORS[code][1]);
    this.name = "AuthError";
    this.status = options.status ?? AUTH_ERRORS[code][0];
    this.extra = options.extra ?? {};
  }
}

export const API_VERSION = "2024-01-01";

/** Any auth response: JSON (or empty for 204) plus the API-version header GoTrue always echoes. */
export function sendAuth(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    "X-Supabase-Api-Version": API_VERSION,
    ...(body === undefined ? {} : { "Content-Type": "application/json; charset=utf-8" }),
    "Content-Length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/**
 * `{code, message}` for clients that send `X-Supabase-Api-Version` (auth-js always does); anything else —
 * curl, older SDKs — gets GoTrue's legacy shape, e.g. `{"code":429,"error_code":"over_request_rate_limit",
 * "msg":"Request rate limit reached"}`.
 */
export function sendAuthError(res: ServerResponse, error: AuthError, versioned = true): void {
  const body = versioned
    ? { code: error.code, message: error.message, ...error.extra }
    : { code: error.status, error_code: error.code, msg: error.message, ...error.extra };
  sendAuth(res, error.status, body, { "x-sb-error-code": error.code });
}
