// Streams the request body back and describes what the function saw (path, headers, env).
const cors = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Headers": "authorization, x-client-info, apikey, content-type",
  "Access-Control-Allow-Methods": "POST, GET, OPTIONS",
};

Deno.serve(async (req) => {
  if (req.method === "OPTIONS") return new Response("ok", { headers: { ...cors, "x-answered-by": "echo" } });
  const url = new URL(req.url);
  if (url.searchParams.has("stream")) {
    return new Response(req.body, { headers: { ...cors, "content-type": req.headers.get("content-type") ?? "application/octet-stream" } });
  }
  const env = Deno.env.toObject();
  return Response.json(
    {
      method: req.method,
      path: url.pathname,
      query: url.search,
      authorization: req.headers.get("authorization"),
      body: await req.text(),
      env: {
        SUPABASE_URL: env.SUPABASE_URL,
        SUPABASE_ANON_KEY: env.SUPABASE_ANON_KEY,
        SUPABASE_SERVICE_ROLE_KEY: env.SUPABASE_SERVICE_ROLE_KEY,
        SUPABASE_DB_URL: env.SUPABASE_DB_URL,
        SUPABASE_PUBLISHABLE_KEYS: env.SUPABASE_PUBLISHABLE_KEYS,
        SUPABASE_SECRET_KEYS: env.SUPABASE_SECRET_KEYS,
        SUPABASE_JWKS: env.SUPABASE_JWKS,
        SHOEBOX_GREETING: env.SHOEBOX_GREETING,
      },
      envNames: Object.keys(env),
      hasEdgeRuntime: typeof (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime,
    },
    { headers: cors },
  );
});
