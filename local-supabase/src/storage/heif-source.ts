// Which stored objects are HEVC-coded HEIF (iPhone HEIC photos), from their first bytes, never from the
// name or the stored content type. sharp's prebuilt libvips reads HEIF only with AV1 inside (AVIF), so these
// sources are decoded with libheif first (heif-decoder.ts) and everything else goes to sharp as before.

/** Enough of the file to hold `ftyp` and the item types in `meta` (`hvc1`), which phones write first. */
export const HEIF_HEAD_BYTES = 4096;

/** Brands that promise HEVC-coded images (HEIC proper, its 10-bit and sequence variants). */
const HEVC_BRANDS = new Set(["heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs"]);
/** Generic HEIF brands: the codec is only known from the item types (`hvc1` vs `av01`). */
const GENERIC_BRANDS = new Set(["mif1", "msf1", "mif2", "heif"]);

const ascii = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));

/** True when `head` (the file's first bytes) starts an ISO-BMFF image whose pictures are HEVC-coded. */
export function isHevcHeif(head: Uint8Array): boolean {
  if (head.length < 16 || ascii(head, 4, 4) !== "ftyp") return false;
  const ftypSize = ((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0;
  if (ftypSize < 16 || ftypSize > head.length) return false;
  const brands = [ascii(head, 8, 4)];
  for (let at = 16; at + 4 <= ftypSize; at += 4) brands.push(ascii(head, at, 4));
  if (brands.some((brand) => HEVC_BRANDS.has(brand))) return true;
  return brands.some((brand) => GENERIC_BRANDS.has(brand)) && ascii(head, ftypSize, head.length - ftypSize).includes("hvc1");
}
