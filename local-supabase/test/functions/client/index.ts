// Uses supabase-js through the function's own deno.json (resolved offline from the project's node_modules)
// to call another function on the platform with the caller's JWT.
import { createClient } from "@supabase/supabase-js";

Deno.serve(async (req) => {
  const supabase = createClient(Deno.env.get("SUPABASE_URL")!, Deno.env.get("SUPABASE_ANON_KEY")!, {
    global: { headers: { Authorization: req.headers.get("Authorization")! } },
  });
  const { data, error } = await supabase.functions.invoke("echo", { body: "from a function" });
  return Response.json({ echoed: data?.body ?? null, error: error?.message ?? null });
});
