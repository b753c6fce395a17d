import type { IncomingMessage, ServerResponse } from "node:http";
import type { BodySource } from "./body-source.ts";
import type { Scope } from "./caller.ts";
import { ERRORS } from "./errors.ts";
import type { StorageContext } from "./domain/rows.ts";

/**
 * How a route treats the JWT (docs/supabase-behaviour.md#storage-authorisation): required, anon when
 * missing/invalid, or not read at all. `authorizationHeader` is `jwt` on a route whose schema also
 * requires the header, so a request without one fails validation before any token is read (the
 * `/authenticated/` reads).
 */
export type RouteAuth = "jwt" | "authorizationHeader" | "allowInvalidJwt" | "none";

export interface RouteRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Decoded `:name` segments, and `*` for the rest of the path (the object key). */
  params: Record<string, string>;
  scope: Scope;
  storage: StorageContext;
  source: BodySource;
}

export interface Route {
  methods: string[];
  pattern: string;
  auth: RouteAuth;
  /** `storage.operation` for the transaction, as storage-api names its routes. */
  operation: string;
  handle(request: RouteRequest): Promise<void>;
}

export function route(methods: string | string[], pattern: string, auth: RouteAuth, operation: string, handle: Route["handle"]): Route {
  return { methods: Array.isArray(methods) ? methods : [methods], pattern, auth, operation, handle };
}

/**
 * First match wins, so static segments (`/object/sign/…`, `/object/info/…`) are listed before the
 * `/object/:bucket/*` catch-all — the same precedence Fastify's router gives storage-api.
 */
export function matchRoute(routes: Route[], method: string, path: string): { route: Route; params: Record<string, string> } | null {
  const segments = path.split("/").slice(1);
  for (const candidate of routes) {
    if (!candidate.methods.includes(method)) continue;
    const params = matchPattern(candidate.pattern.split("/").slice(1), segments);
    if (params) return { route: candidate, params };
  }
  return null;
}

function matchPattern(pattern: string[], segments: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i];
    if (part === "*") {
      if (i >= segments.length) return null;
      params["*"] = decode(segments.slice(i).join("/"));
      return params;
    }
    if (i >= segments.length) return null;
    if (part.startsWith(":")) {
      if (segments[i] === "") return null;
      params[part.slice(1)] = decode(segments[i]);
    } else if (part !== segments[i]) return null;
  }
  return pattern.length === segments.length ? params : null;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw ERRORS.invalidKey(value);
  }
}
