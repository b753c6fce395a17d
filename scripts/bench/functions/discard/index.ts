// Reads every byte of the request body and keeps none: what the platform's functions proxy alone can
// carry into a worker (run-proxy-ceiling.ts). A streamed body is read with a BYOB reader into one reused
// buffer, as album-upload's spool reads it, so the worker's own cost stays as small as a body's can be.
Deno.serve(async (req) => {
  let bytes = 0;
  if (req.body) {
    let byob: ReadableStreamBYOBReader | null = null;
    try {
      byob = req.body.getReader({ mode: "byob" });
    } catch {
      // a small body the runtime already holds is no byte stream
    }
    if (byob) {
      let buffer = new ArrayBuffer(64 * 1024);
      for (;;) {
        const { done, value } = await byob.read(new Uint8Array(buffer));
        if (value) {
          bytes += value.byteLength;
          buffer = value.buffer as ArrayBuffer;
        }
        if (done) break;
      }
    } else {
      for await (const chunk of req.body) bytes += chunk.byteLength;
    }
  }
  return new Response(JSON.stringify({ bytes }), { headers: { "content-type": "application/json" } });
});
