// Small "photos" built in code. The function decides by magic bytes only (_shared/image-sniff.ts), so a
// signature followed by seeded bytes is a photo to it; distinct seeds make every file's bytes distinct,
// which is what lets the tests prove each stored object is the right one.

function filler(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    // xorshift32: cheap, deterministic, and poorly compressible like real image data
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

export function jpeg(size: number, seed: number): Buffer {
  const bytes = filler(size, seed);
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]).copy(bytes);
  return bytes;
}

export function png(size: number, seed: number): Buffer {
  const bytes = filler(size, seed);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]).copy(bytes);
  return bytes;
}

/** A JPEG signature followed by `size` zero bytes: deflates about 1000:1 (a deflate bomb). */
export function zeroJpeg(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]).copy(bytes);
  return bytes;
}

export const text = (s: string) => Buffer.from(s, "utf8");
