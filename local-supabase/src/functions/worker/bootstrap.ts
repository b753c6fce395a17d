// Runs under Deno: the host starts `deno run … bootstrap.ts` once per function worker. It installs the
// hosted runtime's shims, imports the function, captures the handler the function gives to `Deno.serve`,
// and serves it on a private unix socket the host proxies to (docs/supabase-behaviour.md#background-tasks-and-lifecycle, #file-system-and-tmp).
import { installEdgeRuntime, type UnloadReason } from "./edge-runtime.ts";
import { installFsShims } from "./fs-shims.ts";

type Handler = (request: Request, info: Deno.ServeHandlerInfo) => Response | Promise<Response>;
interface Captured {
  handler: Handler;
  onError?: (error: unknown) => Response | Promise<Response>;
}

// Internal settings arrive as env vars and are removed before user code can read them (hosted filters them too: docs/supabase-behaviour.md#function-environment).
const internal = (name: string): string => {
  const value = Deno.env.get(`SHOEBOX_INTERNAL_${name}`);
  Deno.env.delete(`SHOEBOX_INTERNAL_${name}`);
  if (value === undefined) throw new Error(`missing SHOEBOX_INTERNAL_${name}`);
  return value;
};
const entrypoint = internal("ENTRYPOINT");
const socketPath = internal("SOCKET");
const tmpRoot = internal("TMP_DIR");
const tmpQuota = Number(internal("TMP_QUOTA"));
const nonce = internal("NONCE");
// Variables only the Deno process itself needed; a hosted function never sees them (hosted filters PATH too: docs/supabase-behaviour.md#function-environment).
for (const name of ["DENO_DIR", "NO_COLOR", "DENO_NO_UPDATE_CHECK", "DENO_NODE_SHIM_ACTIVE", "PATH", "HOME", "HOSTNAME", "PWD"]) {
  Deno.env.delete(name);
}

const realServe = Deno.serve.bind(Deno);
const realExit = Deno.exit.bind(Deno);

// If the platform dies without ending its workers (killed, crashed), the worker must not outlive it.
const hostPid = Deno.ppid;
const orphanCheck = setInterval(() => {
  if (Deno.ppid !== hostPid) realExit(0);
}, 1000);
Deno.unrefTimer(orphanCheck);
const stdout = Deno.stdout;
const encoder = new TextEncoder();
/** Lines the host reads from stdout; the nonce keeps function output from being mistaken for them. */
const tell = (message: string) => stdout.writeSync(encoder.encode(`\u001e${nonce} ${message}\n`));

const runtime = installEdgeRuntime((pending) => tell(`pending ${pending}`));
let initialised = false;
installFsShims(tmpRoot, tmpQuota, () => initialised);

let captured: Captured | undefined;
// deno-lint-ignore no-explicit-any
// eslint-disable-next-line @typescript-eslint/no-explicit-any
(Deno as any).serve = (...args: any[]) => {
  const [first, second] = args;
  const options = typeof first === "function" ? (second ?? {}) : (first ?? {});
  const handler: Handler = typeof first === "function" ? first : typeof second === "function" ? second : options.handler;
  captured = { handler, onError: options.onError };
  return {
    addr: { transport: "tcp", hostname: "0.0.0.0", port: 8000 },
    finished: new Promise(() => {}),
    shutdown: async () => {},
    ref() {},
    unref() {},
    [Symbol.asyncDispose]: async () => {},
  };
};

const workerError = () => new Response(null, { status: 500, headers: { "x-shoebox-error": "WORKER_ERROR" } });

async function handle(request: Request, info: Deno.ServeHandlerInfo): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === "/_shoebox/beforeunload") {
    runtime.dispatchBeforeUnload(url.searchParams.get("reason") as UnloadReason);
    return new Response(null, { status: 204 });
  }
  if (!captured) return workerError();
  const remote = request.headers.get("x-forwarded-for")?.split(",")[0].trim() ?? "127.0.0.1";
  const userInfo = { ...info, remoteAddr: { transport: "tcp", hostname: remote, port: 0 } } as Deno.ServeHandlerInfo;
  try {
    const response = await captured.handler(request, userInfo);
    if (!(response instanceof Response)) throw new TypeError("Return value from serve handler must be a response or a promise resolving to a response");
    return response;
  } catch (error) {
    console.error(error);
    if (captured.onError) return await captured.onError(error);
    return workerError();
  }
}

try {
  const main = await import(entrypoint);
  // `export default { fetch }` is served too (edge-runtime registers a declarative server).
  if (!captured && typeof main.default?.fetch === "function") captured = { handler: (req, info) => main.default.fetch(req, info) };
  if (!captured) throw new Error("the function never called Deno.serve (or exported a default { fetch })");
} catch (error) {
  console.error(`worker boot error: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
  tell("boot-error");
  realExit(1);
}
initialised = true;
const onServeError = (error: unknown) => {
  console.error(error);
  return workerError();
};
realServe({ path: socketPath, onListen: () => tell("ready"), onError: onServeError }, handle);
