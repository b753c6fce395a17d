/**
 * V8 flags that size a worker's heap as the hosted edge runtime does. It creates each isolate with
 * `heap_limits(0, memory limit)`, and V8 derives the young generation from that too
 * (ResourceConstraints::ConfigureDefaultsFromHeapSize → YoungGenerationSizeFromOldGenerationSize):
 * semi-spaces of heap / 256 up to a 256 MB heap (heap / 128 above), between 1 and 16 MiB on 64-bit.
 * A bare `--max-old-space-size` keeps V8's default 16 MiB semi-spaces instead: a young generation of up
 * to ~48 MiB the hosted worker never has, and a peak RSS far above what the same code uses deployed.
 */
export function v8HeapFlags(memoryBytes: number): string {
  const heapMiB = Math.floor(memoryBytes / 1024 / 1024);
  const ratio = heapMiB <= 256 ? 256 : 128;
  const semiSpaceMiB = Math.min(16, Math.max(1, Math.floor(heapMiB / ratio)));
  return `--max-old-space-size=${heapMiB},--max-semi-space-size=${semiSpaceMiB}`;
}
