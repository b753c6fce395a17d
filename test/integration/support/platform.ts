// The local platform for one `describe` block of integration tests: started before its first test,
// closed after its last. Every integration file used to repeat these hooks.
import { after, before } from "node:test";
import type { SupabaseClient } from "@supabase/supabase-js";
import type { PlatformOptions } from "../../../local-supabase/src/platform.ts";
import { startTestPlatform, type TestPlatform } from "../../../local-supabase/test/support/platform.ts";
import { type FunctionsDir, functionsWithEnv } from "./functions-env.ts";

export interface BlockPlatform extends TestPlatform {
  /** The block's one service-role client (bypasses RLS), for reading what a test left behind. */
  readonly admin: SupabaseClient;
}

export interface BlockOptions extends PlatformOptions {
  /**
   * A test-sized /tmp for every function worker, and album-upload told the same quota
   * (`ALBUM_MAX_ARCHIVE_BYTES`), as a deployer sets both: archives a few MB large then need segments.
   */
  tmpBytes?: number;
}

/**
 * Registers the hooks that start a throw-away platform for the enclosing `describe` and close it, and
 * returns it. Use it inside tests and hooks only: the platform exists once the block's `before` has run.
 * Options that need set-up of their own can be a function, called in that `before`; an `after` the
 * block registers later runs once the platform is closed.
 */
export function withPlatform(options: BlockOptions | (() => BlockOptions) = {}): BlockPlatform {
  let started: TestPlatform | undefined;
  let admin: SupabaseClient | undefined;
  let functions: FunctionsDir | undefined;
  before(async () => {
    const { tmpBytes, ...platformOptions } = typeof options === "function" ? options() : options;
    if (tmpBytes !== undefined) {
      functions = functionsWithEnv({ ALBUM_MAX_ARCHIVE_BYTES: tmpBytes });
      platformOptions.functionsDir = functions.dir;
      platformOptions.functionLimits = { ...(platformOptions.functionLimits ?? {}), functionTmpBytes: tmpBytes };
    }
    started = await startTestPlatform(platformOptions);
    admin = started.service();
  });
  after(async () => {
    await started?.close();
    functions?.remove();
  });
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
