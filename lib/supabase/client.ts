import { createBrowserClient } from "@supabase/ssr";
import { env } from "@/lib/env";
import type { Database } from "@/lib/database.types";

/**
 * The browser client. createBrowserClient returns one shared instance per page, so calling this in
 * every component is cheap and they all see the same session (kept in cookies the server can read).
 */
export function createClient() {
  const { supabaseUrl, supabaseAnonKey } = env();
  return createBrowserClient<Database>(supabaseUrl, supabaseAnonKey);
}
