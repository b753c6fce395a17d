import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import WebSocket from "ws";
import { randomUUID } from "node:crypto";
import { startPlatform, type Platform, type PlatformOptions } from "../../src/platform.ts";
import { ANON_KEY as LOCAL_ANON_KEY, SERVICE_ROLE_KEY as LOCAL_SERVICE_ROLE_KEY } from "../../src/shared/keys.ts";
import { callingTestFile, CONTRACT_TARGET, isBlackBoxFile, BLACK_BOX_MARKER, type ContractTarget } from "./contract-target.ts";

/** The keys of the platform under test: the local demo keys, or the black-box target's. */
export const ANON_KEY = CONTRACT_TARGET?.anonKey ?? LOCAL_ANON_KEY;
export const SERVICE_ROLE_KEY = CONTRACT_TARGET?.serviceKey ?? LOCAL_SERVICE_ROLE_KEY;

export interface TestPlatform {
  /** The in-process platform; reading it in black-box mode throws, since there is none. */
  platform: Platform;
  url: string;
  /** A fresh client with the anon key and no session. */
  anon(): SupabaseClient;
  /** A client with the service_role key (bypasses RLS). */
  service(): SupabaseClient;
  /** Signs up a new email user and returns a client holding its session (on a black-box target, deleted again on close). */
  newUser(): Promise<{ client: SupabaseClient; id: string; email: string; password: string; accessToken: string }>;
  close(): Promise<void>;
}

/** What `startTestPlatform` gives contract tests, which may run against a target shared with other runs. */
export interface ContractPlatform extends TestPlatform {
  /** True when the tests run against `SHOEBOX_CONTRACT_URL` rather than an in-process platform. */
  blackBox: boolean;
  /** Work for `close()`, run last-registered first: removing what a test created on a shared target. */
  defer(cleanup: () => PromiseLike<unknown>): void;
}

/** A client configured the way Shoebox's Node code configures one: no persisted session, `ws` for realtime. */
export function makeClient(url: string, key: string): SupabaseClient {
  return createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as never },
  });
}

/**
 * The platform a test talks to — the one switch between the two modes. By default an in-memory platform
 * on a free port (logs quiet unless SHOEBOX_TEST_LOGS=1). With `SHOEBOX_CONTRACT_URL` set, the target at
 * that URL — for files marked black-box only; any other file is refused with the reason, never silently
 * run in-process against the wrong platform.
 */
export async function startTestPlatform(options: PlatformOptions = {}): Promise<ContractPlatform> {
  if (CONTRACT_TARGET) return blackBoxTarget(CONTRACT_TARGET, options);
  const platform = await startPlatform({
    memory: true,
    port: 0,
    log: process.env.SHOEBOX_TEST_LOGS ? (line) => console.log(line) : () => {},
    ...options,
  });
  return testPlatform(platform.url, platform, () => platform.close());
}

function blackBoxTarget(target: ContractTarget, options: PlatformOptions): ContractPlatform {
  const file = callingTestFile();
  if (!file || !isBlackBoxFile(file)) {
    throw new Error(
      `${file ?? "This test"} is not marked "${BLACK_BOX_MARKER}", so it may look inside the platform and cannot run against SHOEBOX_CONTRACT_URL. ` +
        "Run the black-box group with `npm run test:contract`, which leaves internal files out.",
    );
  }
  // The project directory names the project under test, which a black-box target already is.
  const special = Object.keys(options).filter((name) => name !== "supabaseDir");
  if (special.length > 0) {
    throw new Error(`${file} starts the platform with ${special.join(", ")}; a black-box target cannot be started with options. Remove the "${BLACK_BOX_MARKER}" line.`);
  }
  return testPlatform(target.url, null, async () => {});
}

function testPlatform(url: string, platform: Platform | null, stop: () => Promise<void>): ContractPlatform {
  const clients: SupabaseClient[] = [];
  const cleanups: (() => PromiseLike<unknown>)[] = [];
  const track = (client: SupabaseClient) => (clients.push(client), client);
  const service = () => track(makeClient(url, SERVICE_ROLE_KEY));
  return {
    get platform(): Platform {
      if (!platform) throw new Error("A black-box target has no in-process platform to look inside; this test belongs in the internal group.");
      return platform;
    },
    url,
    blackBox: !platform,
    anon: () => track(makeClient(url, ANON_KEY)),
    service,
    async newUser() {
      const client = track(makeClient(url, ANON_KEY));
      const email = `user-${randomUUID()}@example.com`;
      const password = "correct horse battery staple";
      const { data, error } = await client.auth.signUp({ email, password });
      if (error || !data.session || !data.user) throw error ?? new Error("sign-up returned no session");
      const id = data.user.id;
      if (!platform) cleanups.push(() => service().auth.admin.deleteUser(id));
      return { client, id, email, password, accessToken: data.session.access_token };
    },
    defer(cleanup) {
      cleanups.push(cleanup);
    },
    async close() {
      try {
        for (const cleanup of cleanups.reverse()) await cleanup();
      } finally {
        for (const client of clients) await client.removeAllChannels();
        await stop();
      }
    },
  };
}
