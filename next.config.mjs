/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Photos are served by Supabase Storage through short-lived signed URLs, so next/image's optimiser
  // (which would cache them under a stable URL) is not used; nothing else needs configuring.
  poweredByHeader: false,
  // The build checks the app's own files; the local platform and Deno functions are checked by
  // `npm run typecheck` and their own test runs, so a platform change cannot break the app's build.
  typescript: { tsconfigPath: "tsconfig.app.json" },
};

export default nextConfig;
