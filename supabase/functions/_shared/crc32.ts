// CRC-32 as zip records it (polynomial 0xEDB88320), computed over chunks. The runtime's native
// `node:zlib` crc32 is about 30× faster than JavaScript, but Deno's has shipped broken more than once
// (a missing export, signed results, wrong values on long inputs), and the hosted runtime may be any of
// those versions. So the native one is used only when it agrees with the table below on a self-test,
// and callers re-check a mismatch with `crc32Table` before they call an entry damaged.
// `node:zlib` is imported on first use, not at boot: loading Deno's Node compatibility layer costs the
// worker ~9 MiB of RSS, which archives without stored entries never need to pay.

export type Crc32 = (data: Uint8Array, previous: number) => number;

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** Table-driven CRC-32 in JavaScript (~0.5–1 GB/s): the reference the native one is held to. */
export const crc32Table: Crc32 = (data, previous) => {
  let c = ~previous;
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
};

async function trustedNative(): Promise<Crc32 | null> {
  let native: ((data: Uint8Array, value?: number) => number) | undefined;
  try {
    // A specifier in a variable keeps type checking from pulling in @types/node, which the offline,
    // node_modules-only test run cannot resolve; the runtime loads `node:` modules itself. Where it
    // cannot, the table below does the work.
    const specifier = "node:zlib";
    native = (await import(specifier) as { crc32?: typeof native }).crc32;
  } catch {
    return null;
  }
  if (typeof native !== "function") return null;
  const wrapped: Crc32 = (data, previous) => native(data, previous) >>> 0;
  try {
    // Deterministic bytes, fed whole and in uneven pieces: values above 2^31 and chaining both show.
    const sample = new Uint8Array(200_003);
    for (let i = 0, x = 0x9e3779b9; i < sample.length; i++) sample[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
    const expected = crc32Table(sample, 0);
    let chained = 0;
    for (const [from, to] of [[0, 7], [7, 65_543], [65_543, 200_003]]) chained = wrapped(sample.subarray(from, to), chained);
    return wrapped(sample, 0) === expected && chained === expected && wrapped(new Uint8Array(0), 0) === 0 ? wrapped : null;
  } catch {
    return null;
  }
}

let fastest: Promise<Crc32> | null = null;

/** The fastest CRC-32 this runtime computes correctly (decided once, on first use). */
export function loadCrc32(): Promise<Crc32> {
  fastest ??= trustedNative().then((native) => native ?? crc32Table);
  return fastest;
}
