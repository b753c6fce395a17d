import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { Database } from "./db/database.ts";
import type { ProjectConfig } from "./shared/config.ts";
import type { VerifyKeys } from "./shared/jwt.ts";
import type { PlanLimits } from "./shared/plan.ts";

/** What every service gets from the platform when it is created. */
export interface PlatformContext {
  db: Database;
  config: ProjectConfig;
  plan: PlanLimits;
  /** The platform's own base URL, e.g. http://127.0.0.1:54321. */
  url: string;
  /** The project's `supabase/` directory (config, migrations, functions). */
  supabaseDir: string;
  /** Where services keep files (storage objects, function /tmp dirs). */
  dataDir: string;
  /** What every service verifies bearer tokens with: the legacy JWT secret and the project's ES256 key. */
  keys: Required<VerifyKeys>;
  /** Options a caller passed to startPlatform that only one service reads (e.g. a functions directory). */
  options: Record<string, unknown>;
  log: (line: string) => void;
}

/** One request as routed to a service: the path is relative to the service's prefix. */
export interface RoutedRequest {
  url: URL;
  /** e.g. `/object/photos/a.jpg` for `/storage/v1/object/photos/a.jpg`; always starts with `/`. */
  path: string;
  /** The bearer after the gateway's apikey mapping (docs/supabase-behaviour.md#apikey-to-authorization), or null. */
  bearer: string | null;
}

export interface Service {
  handle(req: IncomingMessage, res: ServerResponse, routed: RoutedRequest): Promise<void>;
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer, routed: RoutedRequest): void;
  close?(): Promise<void>;
}

export interface ServiceEntry {
  prefix: string;
  name: string;
  create: (context: PlatformContext) => Service | Promise<Service>;
  /** Functions answer their own CORS preflight (docs/supabase-behaviour.md#routing-and-jwt-verification); every other service gets the platform's. */
  ownsCors?: boolean;
  /** More request headers than this are answered 431 before the service sees them (the server behind takes no more). */
  maxHeaders?: number;
}
