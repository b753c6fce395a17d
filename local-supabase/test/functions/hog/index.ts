// Allocates (and touches) memory until the platform ends the worker.
Deno.serve(async () => {
  const held: Uint8Array[] = [];
  for (;;) {
    held.push(new Uint8Array(16 * 1024 * 1024).fill(7));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
});
