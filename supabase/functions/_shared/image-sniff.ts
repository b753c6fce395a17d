// Decides whether bytes are a photo from their magic numbers, never from the file name: a `.jpg` that
// is really a PDF is skipped, and a photo named `IMG_0001` without an extension is kept. The result is
// the Content-Type sent to Storage (the photos bucket only accepts image/*).

/** Bytes needed to recognise every supported format (ISO-BMFF brands sit in the first box). */
export const SNIFF_BYTES = 64;

const ascii = (b: Uint8Array, at: number, len: number) => String.fromCharCode(...b.subarray(at, at + len));

const HEIC_BRANDS = new Set(["heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs"]);
const HEIF_BRANDS = new Set(["mif1", "msf1", "heif", "mif2"]);
const AVIF_BRANDS = new Set(["avif", "avis"]);
const BMP_DIB_SIZES = new Set([12, 16, 40, 52, 56, 64, 108, 124]);

/** Image content type for these leading bytes, or null when they are not a supported image. */
export function sniffImageType(head: Uint8Array): string | null {
  const b = head;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (b.length >= 8 && ascii(b, 0, 8) === "\x89PNG\r\n\x1a\n") return "image/png";
  if (b.length >= 6 && (ascii(b, 0, 6) === "GIF87a" || ascii(b, 0, 6) === "GIF89a")) return "image/gif";
  if (b.length >= 12 && ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 4) === "WEBP") return "image/webp";
  if (b.length >= 12 && ascii(b, 4, 4) === "ftyp") return isoBmffType(b);
  if (b.length >= 18 && b[0] === 0x42 && b[1] === 0x4d) {
    const dib = b[14] | (b[15] << 8) | (b[16] << 16) | (b[17] << 24);
    if (BMP_DIB_SIZES.has(dib)) return "image/bmp";
  }
  if (b.length >= 4 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0) ||
    (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 0x2a))) return "image/tiff";
  return null;
}

// HEIC/HEIF/AVIF are ISO-BMFF files: `ftyp` box with a major brand and a list of compatible brands.
// Videos (mp4, mov) share the container, so only image brands count.
function isoBmffType(b: Uint8Array): string | null {
  const boxSize = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  const end = Math.min(b.length, Math.max(16, boxSize));
  const brands = [ascii(b, 8, 4)];
  for (let at = 16; at + 4 <= end; at += 4) brands.push(ascii(b, at, 4));
  if (brands.some((x) => AVIF_BRANDS.has(x))) return "image/avif";
  if (brands.some((x) => HEIC_BRANDS.has(x))) return "image/heic";
  if (brands.some((x) => HEIF_BRANDS.has(x))) return "image/heif";
  return null;
}

/** True for bytes that start a zip archive (an archive inside the archive). */
export function looksLikeZip(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b &&
    ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6) || (head[2] === 7 && head[3] === 8));
}
