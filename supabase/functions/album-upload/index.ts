// album-upload: receives a zip of photos for an album and extracts it into the `photos` bucket.
//   OPTIONS → CORS preflight · GET → the limits and per-invocation figures (JSON) · POST → one of the request
//   forms of _shared/upload-protocol.ts (whole zip, directory, segment, leave)
// Wiring only: configuration from the environment (fails at boot naming a bad variable), Supabase
// clients, and the lifecycle hooks of the edge runtime. The request logic lives in handler.ts.
import { createClient } from "@supabase/supabase-js";
import { readConfig } from "./config.ts";
import { supabaseAlbumStore } from "./album-store.ts";
import { supabaseArchiveStore } from "./archive-store.ts";
import { type AlbumInfo, createHandler } from "./handler.ts";
import { interruptReason } from "./interrupt.ts";
import type { ExtractionJob } from "./job.ts";
import { storageUploader } from "./photo-storage.ts";
import { restBroadcaster } from "./progress-reporter.ts";
import type { InterruptibleJob } from "./upload-deps.ts";

const config = readConfig((name) => Deno.env.get(name));
const clientOptions = { auth: { persistSession: false, autoRefreshToken: false } };
const anon = createClient(config.supabaseUrl, config.anonKey, clientOptions);
const service = createClient(config.supabaseUrl, config.serviceRoleKey, clientOptions);
const jobs = new Map<string, ExtractionJob>();
const segmentJobs = new Map<string, InterruptibleJob>();
// A worker lives at most its wall clock from boot: no segment lease it takes may outlive that.
const workerDeadline = Date.now() + config.figures.wallClockMs;

// EdgeRuntime exists only inside the edge runtime (docs/supabase-behaviour.md#background-tasks-and-lifecycle); plain Deno just lets the promise run.
const edge = (globalThis as { EdgeRuntime?: { waitUntil(p: Promise<unknown>): void } }).EdgeRuntime;

export const handler = createHandler({
  config,
  jobs,
  segmented: { archives: supabaseArchiveStore(service), segmentJobs, workerId: crypto.randomUUID(), workerDeadline },
  store: supabaseAlbumStore(service),
  uploader: storageUploader(config.supabaseUrl, config.serviceRoleKey),
  broadcaster: restBroadcaster(config.supabaseUrl, config.serviceRoleKey),
  waitUntil: (task) => edge ? edge.waitUntil(task) : void task.catch(() => {}),
  async authenticate(jwt) {
    // An ES256 user token is verified against the project's cached JWKS, with no call to Auth per request;
    // an HS256 one (older projects) makes getClaims ask GET /user instead.
    const { data, error } = await anon.auth.getClaims(jwt);
    const sub = data?.claims.sub;
    return error || typeof sub !== "string" || sub === "" ? null : sub;
  },
  async findAlbum(jwt, albumId) {
    // Read as the caller, so RLS decides whether the album is theirs.
    const asUser = createClient(config.supabaseUrl, config.anonKey, {
      ...clientOptions,
      global: { headers: { Authorization: `Bearer ${jwt}` } },
    });
    const { data, error } = await asUser.from("albums").select("id, owner_id, status, deleting_at").eq("id", albumId).maybeSingle();
    if (error) throw new Error(`album lookup failed: ${error.message}`);
    return data as AlbumInfo | null;
  },
});

// Fired at 90 % of the wall-clock, CPU or memory limit (docs/supabase-behaviour.md#background-tasks-and-lifecycle): record where each job stopped.
addEventListener("beforeunload", (event) => {
  const reason = interruptReason((event as CustomEvent<{ reason?: string } | null>).detail?.reason);
  for (const job of [...jobs.values(), ...segmentJobs.values()]) job.interrupt(reason).catch((e) => console.error(e));
});

Deno.serve(handler);
