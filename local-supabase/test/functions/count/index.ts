// Counts the request body's bytes as they stream in, holding at most one chunk.
Deno.serve(async (req) => {
  let bytes = 0;
  for await (const chunk of req.body ?? new ReadableStream<Uint8Array>()) bytes += chunk.byteLength;
  return Response.json({ bytes });
});
