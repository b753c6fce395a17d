// The local platform for one `describe` block of integration tests: started before its first test,
// closed after its last. Every integration file used to repeat these hooks.
import { after, before } from "node:test";
import type { SupabaseClient } from "@supabase/supabase-js";
import type { PlatformOptions } from "../../../local-supabase/src/platform.ts";
import { startTestPlatform, type TestPlatform } from "../../../local-supabase/test/support/platform.ts";

export interface BlockPlatform extends TestPlatform {
  /** The block's one service-role client (bypasses RLS), for reading what a test left behind. */
  readonly admin: SupabaseClient;
}

/**
 * Registers the hooks that start a throw-away platform for the enclosing `describe` and close it, and
 * returns it. Use it inside tests and hooks only: the platform exists once the block's `before` has run.
 * Options that need set-up of their own (a functions folder written for the block) can be a function,
 * called in that `before`; an `after` the block registers later runs once the platform is closed.
 */
export function withPlatform(options: PlatformOptions | (() => PlatformOptions) = {}): BlockPlatform {
  let started: TestPlatform | undefined;
  let admin: SupabaseClient | undefined;
  before(async () => {
    started = await startTestPlatform(typeof options === "function" ? options() : options);
    admin = started.service();
  });
  after(() => started?.close());
  const current = (): TestPlatform => {
    if (!started) throw new Error("withPlatform(): the platform is only there inside tests and hooks of its describe block");
    return started;
  };
  return {
    get platform() { return current().platform; },
    get url() { return current().url; },
    get admin() { current(); return admin!; },
    anon: () => current().anon(),
    service: () => current().service(),
    newUser: () => current().newUser(),
    close: () => current().close(),
  };
}
