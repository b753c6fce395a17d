import type { ServiceEntry } from "./service-contract.ts";
import { createAuthService } from "./auth/index.ts";
import { createMailViewerService } from "./auth/mail-viewer.ts";
import { createRestService } from "./rest/index.ts";
import { createStorageService } from "./storage/index.ts";
import { createRealtimeService } from "./realtime/index.ts";
import { createFunctionsService } from "./functions/index.ts";
import { MAX_FUNCTION_HEADERS } from "./shared/connection-guards.ts";

/** Every emulated service, routed by URL prefix as the CLI's gateway routes them (docs/supabase-behaviour.md#url-layout). */
export const SERVICES: ServiceEntry[] = [
  { prefix: "/auth/v1", name: "auth", create: createAuthService },
  { prefix: "/rest/v1", name: "rest", create: createRestService },
  { prefix: "/storage/v1", name: "storage", create: createStorageService },
  { prefix: "/realtime/v1", name: "realtime", create: createRealtimeService },
  { prefix: "/functions/v1", name: "functions", create: createFunctionsService, ownsCors: true, maxHeaders: MAX_FUNCTION_HEADERS },
  // Not a gateway route: the page Mailpit serves on its own port for `supabase start`, here on the platform's.
  { prefix: "/mail", name: "mail", create: createMailViewerService },
];
