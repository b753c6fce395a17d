import type { IncomingMessage } from "node:http";
import type { DbRequest } from "../db/database.ts";
import { JwtError, verifyJwt, type JwtClaims, type VerifyKeys } from "../shared/jwt.ts";
import { header } from "../shared/request-auth.ts";
import { RestError } from "./errors.ts";

export interface Preferences {
  return: "representation" | "minimal" | "headers-only" | null;
  count: "exact" | "planned" | "estimated" | null;
  resolution: "merge-duplicates" | "ignore-duplicates" | null;
  missing: "default" | "null" | null;
}

/** `Prefer` arrives as one comma-separated list, possibly repeated (postgrest-js appends, docs/supabase-behaviour.md#postgrest-requests). */
export function parsePrefer(req: IncomingMessage): Preferences {
  const raw = req.headers.prefer;
  const text = Array.isArray(raw) ? raw.join(",") : raw ?? "";
  const prefs: Preferences = { return: null, count: null, resolution: null, missing: null };
  for (const item of text.split(",")) {
    const [name, value] = item.trim().split("=").map((part) => part?.trim());
    if (name === "return" && (value === "representation" || value === "minimal" || value === "headers-only")) prefs.return = value;
    else if (name === "count" && (value === "exact" || value === "planned" || value === "estimated")) prefs.count = value;
    else if (name === "resolution" && (value === "merge-duplicates" || value === "ignore-duplicates")) prefs.resolution = value;
    else if (name === "missing" && (value === "default" || value === "null")) prefs.missing = value;
  }
  return prefs;
}

/** The honoured preferences, echoed in `Preference-Applied` (docs/supabase-behaviour.md#postgrest-responses). */
export function appliedPreferences(prefs: Preferences): string {
  const applied: string[] = [];
  if (prefs.return) applied.push(`return=${prefs.return}`);
  if (prefs.count) applied.push(`count=${prefs.count}`);
  if (prefs.resolution) applied.push(`resolution=${prefs.resolution}`);
  if (prefs.missing) applied.push(`missing=${prefs.missing}`);
  return applied.join(", ");
}

/**
 * JWT → database request (docs/supabase-behaviour.md#request-role-and-claims): no bearer means `anon`; a bad token is 401 PGRST301 and an expired one
 * 401 PGRST303. The `role` claim chooses the Postgres role, so RLS and grants decide the rest.
 */
export async function authenticate(req: IncomingMessage, bearer: string | null, path: string, keys: VerifyKeys): Promise<DbRequest> {
  const base = { headers: req.headers, method: req.method ?? "GET", path };
  if (bearer === null || bearer === "") return { ...base, role: "anon", claims: null, token: null };
  let claims: JwtClaims;
  try {
    claims = await verifyJwt(bearer, keys);
  } catch (error) {
    if (!(error instanceof JwtError)) throw error;
    const wwwAuthenticate = (description: string) => ({
      "WWW-Authenticate": `Bearer error="invalid_token", error_description="${description}"`,
    });
    if (error.reason === "expired") throw new RestError(401, "PGRST303", "JWT expired", null, null, wwwAuthenticate("JWT expired"));
    const message = error.reason === "malformed" && bearer.split(".").length !== 3
      ? `Expected 3 parts in JWT; got ${bearer.split(".").length}`
      : error.reason === "signature" ? "JWSError JWSInvalidSignature" : "JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got 1)";
    throw new RestError(401, "PGRST301", message, null, null, wwwAuthenticate(message));
  }
  const role = typeof claims.role === "string" && claims.role !== "" ? claims.role : "anon";
  return { ...base, role, claims, token: bearer };
}

/**
 * Accept-Profile (reads) / Content-Profile (writes) pick the schema; it must be exposed in
 * `[api] schemas`, else 406 PGRST106. Without the header the first exposed schema is used.
 */
export function chooseSchema(req: IncomingMessage, exposed: string[]): string {
  const read = req.method === "GET" || req.method === "HEAD";
  const asked = header(req, read ? "accept-profile" : "content-profile");
  if (asked === undefined) return exposed[0] ?? "public";
  if (!exposed.includes(asked)) {
    throw new RestError(406, "PGRST106", `Invalid schema: ${asked}`, null, `Only the following schemas are exposed: ${exposed.join(", ")}`);
  }
  return asked;
}

/** `.single()` asks for one object (docs/supabase-behaviour.md#postgrest-requests); `.maybeSingle()` sends nothing special. */
export function wantsObject(req: IncomingMessage): boolean {
  return (header(req, "accept") ?? "").includes("application/vnd.pgrst.object+json");
}
