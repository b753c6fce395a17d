import { existsSync, rmSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { PlatformContext, RoutedRequest, Service } from "../service-contract.ts";
import type { PlanLimits } from "../shared/plan.ts";
import { header } from "../shared/request-auth.ts";
import { ANON_KEY, PUBLISHABLE_KEY, SECRET_KEY, SERVICE_ROLE_KEY } from "../shared/keys.ts";
import { verifyJwt, type VerifyKeys } from "../shared/jwt.ts";
import { BootError, sendFunctionNotFound, sendJwtError, sendWorkerError } from "./errors.ts";
import { functionEnv } from "./function-env.ts";
import { proxyToWorker, type ProxyOptions } from "./proxy.ts";
import { proxyUpgradeToWorker, responseOnSocket } from "./upgrade-proxy.ts";
import { WorkerPool, type FunctionTarget } from "./worker-pool.ts";
import type { WorkerProcess } from "./worker-process.ts";

/**
 * `/functions/v1/<name>[/<sub-path>]` (docs/supabase-behaviour.md#edge-functions): resolves the function, checks the JWT when
 * verify_jwt is on, and streams the request to a Deno worker that runs it under the hosted limits.
 */
export function createFunctionsService(context: PlatformContext): Service {
  const functionsDir = resolve((context.options.functionsDir as string | undefined) ?? join(context.supabaseDir, "functions"));
  const limits: PlanLimits = { ...context.plan, ...(context.options.functionLimits as Partial<PlanLimits> | undefined) };
  const workersDir = join(context.dataDir, "functions", "workers");
  rmSync(workersDir, { recursive: true, force: true }); // a killed platform leaves old worker dirs behind
  const pool = new WorkerPool({
    limits,
    watch: context.options.watch === true,
    spec: {
      denoPath: denoBinary(),
      bootstrapPath: fileURLToPath(new URL("./worker/bootstrap.ts", import.meta.url)),
      // The project root: its package.json and node_modules resolve the functions' `npm:` imports offline.
      cwd: resolve(context.supabaseDir, ".."),
      workersDir,
      env: { ...functionEnv(context, functionsDir), DENO_DIR: process.env.DENO_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "deno") },
      log: context.log,
    },
  });

  /**
   * Everything a call goes through before its worker sees it, for plain requests and WebSocket handshakes
   * alike: the function must exist, verify_jwt must pass, the worker must boot. Null when `res` was answered.
   */
  const admit = async (req: IncomingMessage, res: ServerResponse, routed: RoutedRequest): Promise<Admitted | null> => {
    const startedAt = Date.now();
    const name = routed.path.split("/")[1] ?? "";
    const target = findFunction(context, functionsDir, name);
    if (!target) {
      sendFunctionNotFound(req, res);
      return null;
    }
    const authorization = gatewayAuthorization(req);
    // verify_jwt defaults to true; OPTIONS skips it so the function can answer the CORS preflight itself
    // (docs/supabase-behaviour.md#routing-and-jwt-verification). A WebSocket handshake is verified like any
    // GET: only the Authorization header counts, so browser sockets (which cannot set headers) need
    // verify_jwt = false and check a `?jwt=` or `jwt-<token>` subprotocol themselves
    // (docs/supabase-behaviour.md#edge-function-websockets).
    const verifyJwtOn = context.config.functions[name]?.verifyJwt ?? true;
    if (verifyJwtOn && req.method !== "OPTIONS") {
      const failure = await jwtFailure(authorization, context.keys);
      if (failure) {
        sendJwtError(req, res, failure);
        return null;
      }
    }
    try {
      const worker = await pool.acquire(target);
      const options = { path: `${routed.path}${routed.url.search}`, authorization, idleTimeoutMs: limits.functionIdleTimeoutMs, startedAt };
      return { worker, options };
    } catch (error) {
      if (!(error instanceof BootError)) throw error;
      sendWorkerError(req, res, "BOOT_ERROR");
      return null;
    }
  };

  return {
    async handle(req, res, routed) {
      const admitted = await admit(req, res, routed);
      if (admitted) await proxyToWorker(req, res, admitted.worker, admitted.options);
    },
    upgrade(req, socket, head, routed) {
      const run = async () => {
        const res = responseOnSocket(req, socket);
        const admitted = await admit(req, res, routed);
        if (admitted) await proxyUpgradeToWorker(req, socket, head, res, admitted.worker, admitted.options);
      };
      run().catch((error: unknown) => {
        context.log(`[functions] WebSocket ${routed.path} failed: ${(error as Error).stack ?? error}`);
        socket.destroy();
      });
    },
    close: () => pool.close(),
  };
}

interface Admitted {
  worker: WorkerProcess;
  options: ProxyOptions;
}

function findFunction(context: PlatformContext, functionsDir: string, name: string): FunctionTarget | null {
  // `_shared`-style folders and `tests` hold code, not functions.
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(name) || name === "tests") return null;
  const config = context.config.functions[name];
  if (config && !config.enabled) return null;
  const dir = join(functionsDir, name);
  const entrypoint = config?.entrypoint ? resolve(context.supabaseDir, config.entrypoint) : join(dir, "index.ts");
  if (!existsSync(entrypoint) || !statSync(entrypoint).isFile()) return null;
  // Import map order as the CLI resolves it (docs/supabase-behaviour.md#imports-serve-and-deploy): config `import_map`, then the function's deno.json(c).
  const importMap = config?.importMap
    ? resolve(context.supabaseDir, config.importMap)
    : ["deno.json", "deno.jsonc", "import_map.json"].map((file) => join(dir, file)).find((file) => existsSync(file));
  return { name, dir, entrypoint, importMap, watchDirs: [dirname(entrypoint), dir, join(functionsDir, "_shared")] };
}

/**
 * The Authorization header Kong forwards (docs/supabase-behaviour.md#apikey-to-authorization): a non-`Bearer sb_…` header passes through; otherwise the
 * apikey decides, and an unknown apikey is copied *without* `Bearer `, which verification then rejects.
 */
function gatewayAuthorization(req: IncomingMessage): string | undefined {
  const given = header(req, "authorization");
  if (given && !/^bearer sb_/i.test(given)) return given;
  const apikey = header(req, "apikey");
  if (apikey === SECRET_KEY) return `Bearer ${SERVICE_ROLE_KEY}`;
  if (apikey === PUBLISHABLE_KEY) return `Bearer ${ANON_KEY}`;
  return apikey || undefined;
}

/** The local serve checks, with its exact messages (docs/supabase-behaviour.md#routing-and-jwt-verification); null when the JWT is acceptable. */
async function jwtFailure(authorization: string | undefined, keys: VerifyKeys): Promise<string | null> {
  if (!authorization) return "Error: Missing authorization header";
  const [scheme, token] = authorization.split(" ");
  if (scheme !== "Bearer") return "Error: Auth header is not 'Bearer {token}'";
  try {
    await verifyJwt(token ?? "", keys);
    return null;
  } catch {
    return "Invalid JWT";
  }
}

function denoBinary(): string {
  const packageJson = createRequire(import.meta.url).resolve("deno/package.json");
  return join(dirname(packageJson), process.platform === "win32" ? "deno.exe" : "deno");
}
