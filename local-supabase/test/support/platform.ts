import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import WebSocket from "ws";
import { randomUUID } from "node:crypto";
import { startPlatform, type Platform, type PlatformOptions } from "../../src/platform.ts";
import { ANON_KEY, SERVICE_ROLE_KEY } from "../../src/shared/keys.ts";

export { ANON_KEY, SERVICE_ROLE_KEY };

export interface TestPlatform {
  platform: Platform;
  url: string;
  /** A fresh client with the anon key and no session. */
  anon(): SupabaseClient;
  /** A client with the service_role key (bypasses RLS). */
  service(): SupabaseClient;
  /** Signs up a new email user and returns a client holding its session. */
  newUser(): Promise<{ client: SupabaseClient; id: string; email: string; password: string; accessToken: string }>;
  close(): Promise<void>;
}

/** A client configured the way Shoebox's Node code configures one: no persisted session, `ws` for realtime. */
export function makeClient(url: string, key: string): SupabaseClient {
  return createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as never },
  });
}

/** Starts an in-memory platform on a free port; logs are kept quiet unless SHOEBOX_TEST_LOGS=1. */
export async function startTestPlatform(options: PlatformOptions = {}): Promise<TestPlatform> {
  const platform = await startPlatform({
    memory: true,
    port: 0,
    log: process.env.SHOEBOX_TEST_LOGS ? (line) => console.log(line) : () => {},
    ...options,
  });
  const clients: SupabaseClient[] = [];
  const track = (client: SupabaseClient) => (clients.push(client), client);
  return {
    platform,
    url: platform.url,
    anon: () => track(makeClient(platform.url, ANON_KEY)),
    service: () => track(makeClient(platform.url, SERVICE_ROLE_KEY)),
    async newUser() {
      const client = track(makeClient(platform.url, ANON_KEY));
      const email = `user-${randomUUID()}@example.com`;
      const password = "correct horse battery staple";
      const { data, error } = await client.auth.signUp({ email, password });
      if (error || !data.session || !data.user) throw error ?? new Error("sign-up returned no session");
      return { client, id: data.user.id, email, password, accessToken: data.session.access_token };
    },
    async close() {
      for (const client of clients) await client.removeAllChannels();
      await platform.close();
    },
  };
}
