/**
 * The app's configuration, read once into a typed object. Next.js inlines NEXT_PUBLIC_* values into
 * the browser bundle only when they are written out literally as `process.env.NAME`, so each variable
 * is read by name here rather than through a loop over `process.env`.
 */
export type AppEnv = {
  /** The Supabase project URL, e.g. http://127.0.0.1:54321 for the local platform. */
  supabaseUrl: string;
  /** The public anon (or publishable) key; it identifies the project, RLS does the authorising. */
  supabaseAnonKey: string;
};

function required(name: string, value: string | undefined): string {
  if (!value || value.trim() === "") {
    throw new Error(
      `Missing environment variable ${name}. Set it before starting Shoebox ` +
        "(npm start sets it for the local platform).",
    );
  }
  return value.trim();
}

function readEnv(): AppEnv {
  const supabaseUrl = required("NEXT_PUBLIC_SUPABASE_URL", process.env.NEXT_PUBLIC_SUPABASE_URL);
  const supabaseAnonKey = required("NEXT_PUBLIC_SUPABASE_ANON_KEY", process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY);
  try {
    new URL(supabaseUrl);
  } catch {
    throw new Error(`NEXT_PUBLIC_SUPABASE_URL is not a URL: "${supabaseUrl}".`);
  }
  return { supabaseUrl: supabaseUrl.replace(/\/+$/, ""), supabaseAnonKey };
}

let cached: AppEnv | undefined;

/** Validates on first use (not at import) so `next build` can collect pages without the variables set. */
export function env(): AppEnv {
  cached ??= readEnv();
  return cached;
}
