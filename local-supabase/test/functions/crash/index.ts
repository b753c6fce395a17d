// ?mode=throw: the handler throws; ?mode=exit: an uncaught error ends the worker mid-request.
Deno.serve((req) => {
  const mode = new URL(req.url).searchParams.get("mode");
  if (mode === "throw") throw new Error("handler failed");
  setTimeout(() => {
    throw new Error("uncaught in the worker");
  }, 10);
  return new Promise<Response>(() => {});
});
