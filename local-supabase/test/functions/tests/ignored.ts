// A `tests` folder holds function tests, never a function; the platform must answer 404 for it.
Deno.serve(() => new Response("tests are not a function"));
