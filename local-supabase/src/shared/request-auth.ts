import type { IncomingMessage } from "node:http";
import { ANON_KEY, PUBLISHABLE_KEY, SECRET_KEY, SERVICE_ROLE_KEY } from "./keys.ts";

/**
 * The bearer token a service sees after the gateway's rewrite (docs/supabase-behaviour.md#apikey-to-authorization):
 * an Authorization header that is not `Bearer sb_…` passes through; otherwise the apikey decides
 * (secret key → service_role JWT, publishable key → anon JWT, anything else → the raw apikey).
 * Returns null when the request carries neither.
 */
export function gatewayBearer(req: IncomingMessage, url: URL): string | null {
  const authorization = header(req, "authorization");
  if (authorization && !/^bearer sb_/i.test(authorization)) return stripBearer(authorization);
  const apikey = header(req, "apikey") ?? url.searchParams.get("apikey");
  if (!apikey) return null;
  if (apikey === SECRET_KEY) return SERVICE_ROLE_KEY;
  if (apikey === PUBLISHABLE_KEY) return ANON_KEY;
  return apikey;
}

/** Storage strips `Bearer ` case-insensitively and also accepts a raw token (docs/supabase-behaviour.md#storage-authorisation). */
export function stripBearer(value: string): string {
  return value.replace(/^bearer\s+/i, "").trim();
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
