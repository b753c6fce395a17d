import { nothing } from "./does-not-exist.ts";

Deno.serve(() => new Response(String(nothing)));
