// CORS for browser calls through supabase-js (docs/supabase-behaviour.md#headers-and-cors): the headers supabase-js sends, plus the
// ones functions-js adds. The function answers preflight itself (docs/supabase-behaviour.md#routing-and-jwt-verification: the gateway does not).
export const corsHeaders: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Headers":
    "authorization, x-client-info, apikey, content-type, x-retry-count, x-region, x-supabase-api-version, " +
    // The directory request's own headers (upload-protocol.ts).
    "x-archive-size, x-archive-name, x-upload-rate",
  "Access-Control-Expose-Headers": "retry-after",
  "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
  "Access-Control-Max-Age": "86400",
};

export function preflight(): Response {
  return new Response("ok", { headers: corsHeaders });
}

export function json(status: number, body: unknown, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...corsHeaders, "Content-Type": "application/json", ...extra },
  });
}
