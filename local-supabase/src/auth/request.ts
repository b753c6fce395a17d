import type { IncomingMessage } from "node:http";
import type { PlatformContext, RoutedRequest } from "../service-contract.ts";
import { readJson } from "../shared/http.ts";
import { header } from "../shared/request-auth.ts";
import { AuthError } from "./errors.ts";
import type { AuthRateLimiter } from "./rate-limit.ts";

/** What a route handler gets; it answers with a reply that index.ts renders. */
export interface AuthRequest {
  req: IncomingMessage;
  routed: RoutedRequest;
  context: PlatformContext;
  /** GoTrue's per-IP (and, for mail, per-project) limits; routes take a token where GoTrue does. */
  limiter: AuthRateLimiter;
}

export interface AuthReply {
  status: number;
  /** Omitted for 204. */
  body?: unknown;
  headers?: Record<string, string>;
}

export type AuthRoute = (request: AuthRequest) => Promise<AuthReply>;

/** The JSON object body; an empty body is `{}`, anything unparsable is 400 `bad_json`. */
export async function readObject(request: AuthRequest): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await readJson(request.req, 1024 * 1024);
  } catch (error) {
    throw new AuthError("bad_json", `Could not parse request body as JSON: ${(error as Error).message}`);
  }
  if (body === undefined || body === null) return {};
  if (typeof body !== "object" || Array.isArray(body)) throw new AuthError("bad_json", "Could not parse request body as JSON: expected an object");
  return body as Record<string, unknown>;
}

export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new AuthError("validation_failed", `${key} must be a string`);
  return value;
}

/** GoTrue lower-cases and trims emails before storing or comparing them. */
export function normalizeEmail(value: string): string {
  const email = value.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new AuthError("validation_failed", "Unable to validate email address: invalid format");
  }
  return email;
}

export function userAgent(request: AuthRequest): string | null {
  return header(request.req, "user-agent") ?? null;
}
