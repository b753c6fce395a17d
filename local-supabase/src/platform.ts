import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { AddressInfo } from "node:net";
import { Database } from "./db/database.ts";
import { seedConfigBuckets } from "./db/seed-buckets.ts";
import { readProjectConfig } from "./shared/config.ts";
import { planFromName, type PlanName } from "./shared/plan.ts";
import { applyCors, answerPreflight } from "./shared/cors.ts";
import { sendJson } from "./shared/http.ts";
import { answerClientError, closeAfterEarlyAnswer, sendTooManyHeaders } from "./shared/connection-guards.ts";
import { gatewayBearer } from "./shared/request-auth.ts";
import { delayRequests, delayUpgrades, parseLatency } from "./shared/latency.ts";
import { DEFAULT_PORT, JWT_SECRET } from "./shared/keys.ts";
import { loadSigningKeys } from "./shared/signing-keys.ts";
import { SERVICES } from "./service-routes.ts";
import type { PlatformContext, Service, ServiceEntry } from "./service-contract.ts";

export interface PlatformOptions {
  port?: number;
  host?: string;
  /** Persist the database and storage here; ignored when `memory` is true. */
  dataDir?: string;
  /** Keep everything in memory and a throw-away directory (tests). */
  memory?: boolean;
  /** The project's `supabase/` directory; defaults to ./supabase. */
  supabaseDir?: string;
  plan?: PlanName;
  /** Hosted-like delay on every API call, e.g. "40ms"; defaults to SHOEBOX_LATENCY (shared/latency.ts). */
  latency?: string;
  log?: (line: string) => void;
  /** Per-service options, e.g. `{ functionsDir }` for tests that host their own functions. */
  [option: string]: unknown;
}

export interface Platform {
  url: string;
  port: number;
  db: Database;
  context: PlatformContext;
  close(): Promise<void>;
}

export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const log = options.log ?? ((line: string) => console.log(line));
  const supabaseDir = resolve(options.supabaseDir ?? "supabase");
  const config = readProjectConfig(supabaseDir);
  const plan = planFromName(options.plan ?? process.env.SHOEBOX_PLAN);
  const latencyMs = parseLatency(options.latency ?? process.env.SHOEBOX_LATENCY);
  const dataDir = options.memory
    ? mkdtempSync(join(tmpdir(), "shoebox-platform-"))
    : resolve(options.dataDir ?? ".local-supabase");
  mkdirSync(dataDir, { recursive: true });

  const db = await Database.open({
    dataDir: options.memory ? undefined : join(dataDir, "db"),
    migrationsDir: join(supabaseDir, "migrations"),
    log: (line) => log(`[db] ${line}`),
  });
  await seedConfigBuckets(db, config);

  const server = createServer();
  // Node closes idle keep-alive sockets after 5 s; a client reusing one at that moment sees ECONNRESET.
  // Gateways in front of hosted Supabase keep idle connections for about a minute, so do the same.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await listen(server, options.port ?? DEFAULT_PORT, options.host ?? "127.0.0.1");
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  const keys = { secret: JWT_SECRET, signing: await loadSigningKeys(options.memory ? null : dataDir) };
  const context: PlatformContext = { db, config, plan, url, supabaseDir, dataDir, keys, options, log };
  const routes: { entry: ServiceEntry; service: Service }[] = [];
  for (const entry of SERVICES) routes.push({ entry, service: await entry.create(context) });
  const route = (pathname: string) =>
    routes.find(({ entry }) => pathname === entry.prefix || pathname.startsWith(`${entry.prefix}/`));

  server.on("clientError", answerClientError);
  server.on("request", delayRequests(latencyMs, (req: IncomingMessage, res: ServerResponse) => {
    closeAfterEarlyAnswer(req, res);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const match = route(url.pathname);
    if (!match) {
      applyCors(req, res);
      return sendJson(res, 404, { message: "no Route matched with those values" });
    }
    if (!match.entry.ownsCors) {
      if (req.method === "OPTIONS") return answerPreflight(req, res);
      applyCors(req, res);
    }
    const headerCount = req.rawHeaders.length / 2;
    if (match.entry.maxHeaders !== undefined && headerCount > match.entry.maxHeaders) {
      return sendTooManyHeaders(res, headerCount, match.entry.maxHeaders);
    }
    const routed = { url, path: url.pathname.slice(match.entry.prefix.length) || "/", bearer: gatewayBearer(req, url) };
    match.service.handle(req, res, routed).catch((error: unknown) => {
      log(`[${match.entry.name}] ${req.method} ${url.pathname} failed: ${(error as Error).stack ?? error}`);
      if (!res.headersSent) sendJson(res, 500, { message: "Internal Server Error" });
      else res.destroy();
    });
  }));
  server.on("upgrade", delayUpgrades(latencyMs, (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const match = route(url.pathname);
    if (!match?.service.upgrade) return socket.destroy();
    match.service.upgrade(req, socket, head, { url, path: url.pathname.slice(match.entry.prefix.length) || "/", bearer: gatewayBearer(req, url) });
  }));

  let closed = false;
  return {
    url,
    port,
    db,
    context,
    async close() {
      if (closed) return;
      closed = true;
      // In reverse order of creation, so Edge Functions stop first: their workers get `beforeunload`
      // and a grace period while the database, Storage and Realtime still answer them (a job marks its
      // album interrupted), and only then do the services they call go away.
      for (const { service } of [...routes].reverse()) await service.close?.();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await db.close();
      if (options.memory) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function listen(server: ReturnType<typeof createServer>, port: number, host: string): Promise<void> {
  return new Promise((done, fail) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") {
        fail(new Error(`Port ${port} on ${host} is already in use. Stop whatever is using it (another \`npm start\` or \`supabase start\`?) or pick another port with --port.`));
      } else fail(error);
    });
    server.listen(port, host, () => done());
  });
}
