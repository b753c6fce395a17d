// A photo's pixel size as stored in the file (before orientation), read from its first bytes without
// decoding anything: the JPEG frame header, the PNG/GIF/WebP/BMP headers, or the ISO-BMFF (HEIC, HEIF,
// AVIF) `ispe` property — with the `irot` rotation, which is a HEIC's orientation when it has no EXIF, and
// where the file keeps its `Exif` item.
// Anything unreadable answers null: the size is best effort (docs/architecture.md#photo-metadata).

export interface PixelSize {
  width: number;
  height: number;
}

export interface BmffLayout {
  size: PixelSize | null;
  /** EXIF-style orientation (1, 3, 6, 8) derived from the primary image's `irot`; null without one. */
  orientation: number | null;
  /** Where the `Exif` item's data lies in the file (one extent, in this file), or null. */
  exif: { offset: number; length: number } | null;
}

const be16 = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const le16 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const be32 = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
const le32 = (b: Uint8Array, at: number) => ((b[at + 3] << 24) | (b[at + 2] << 16) | (b[at + 1] << 8) | b[at]) >>> 0;
const fourCC = (b: Uint8Array, at: number) => String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);

function size(width: number, height: number): PixelSize | null {
  return width > 0 && height > 0 && width <= 0x7fffffff && height <= 0x7fffffff ? { width, height } : null;
}

/** Size for `contentType` (as image-sniff.ts named it), or null when the prefix does not say. */
export function pixelSize(prefix: Uint8Array, contentType: string): PixelSize | null {
  switch (contentType) {
    case "image/jpeg":
      return jpegSize(prefix);
    case "image/png":
      // Signature (8), IHDR length and type (8), then width and height.
      return prefix.length >= 24 && fourCC(prefix, 12) === "IHDR" ? size(be32(prefix, 16), be32(prefix, 20)) : null;
    case "image/gif":
      return prefix.length >= 10 ? size(le16(prefix, 6), le16(prefix, 8)) : null;
    case "image/bmp":
      // BITMAPINFOHEADER and later: signed 32-bit; a negative height means top-down rows.
      return prefix.length >= 26 ? size(le32(prefix, 18) | 0, Math.abs(le32(prefix, 22) | 0)) : null;
    case "image/webp":
      return webpSize(prefix);
    case "image/heic":
    case "image/heif":
    case "image/avif":
      return bmffLayout(prefix).size;
    default:
      return null;
  }
}

/** The first frame header (SOF0–SOF15 but DHT, JPG and DAC) before the scan starts. */
function jpegSize(b: Uint8Array): PixelSize | null {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1];
    if (marker === 0xff) { // fill byte
      at++;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) { // no length
      at += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return null; // scan or end before any frame header
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return at + 9 <= b.length ? size(be16(b, at + 7), be16(b, at + 5)) : null;
    }
    at += 2 + be16(b, at + 2);
  }
  return null;
}

function webpSize(b: Uint8Array): PixelSize | null {
  if (b.length < 30) return null;
  const chunk = fourCC(b, 12);
  if (chunk === "VP8X") return size(1 + (b[24] | (b[25] << 8) | (b[26] << 16)), 1 + (b[27] | (b[28] << 8) | (b[29] << 16)));
  if (chunk === "VP8 ") return size(le16(b, 26) & 0x3fff, le16(b, 28) & 0x3fff);
  if (chunk === "VP8L" && b[20] === 0x2f) {
    const bits = le32(b, 21);
    return size((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  return null;
}

interface Box {
  type: string;
  body: number;
  end: number;
}

/** The boxes between `start` and `end`; a box running past the prefix ends the walk. */
function boxes(b: Uint8Array, start: number, end: number): Box[] {
  const found: Box[] = [];
  for (let at = start; at + 8 <= end;) {
    let length = be32(b, at), header = 8;
    if (length === 1) {
      if (at + 16 > end) break;
      length = be32(b, at + 8) * 2 ** 32 + be32(b, at + 12);
      header = 16;
    } else if (length === 0) length = end - at;
    if (length < header) break;
    found.push({ type: fourCC(b, at + 4), body: at + header, end: Math.min(at + length, end) });
    at += length;
  }
  return found;
}

/**
 * The primary image's `ispe` size and `irot` rotation from the `meta` box (which phones write right after
 * `ftyp`). Without an item association to go by, the largest `ispe` is taken: an iPhone's grid image is
 * larger than its tiles and its thumbnail.
 */
export function bmffLayout(b: Uint8Array): BmffLayout {
  const none: BmffLayout = { size: null, orientation: null, exif: null };
  const meta = boxes(b, 0, b.length).find((x) => x.type === "meta");
  if (!meta) return none;
  const children = boxes(b, meta.body + 4, meta.end); // meta is a full box: version and flags first
  const pitm = children.find((x) => x.type === "pitm");
  const primary = pitm && pitm.end - pitm.body >= 6 ? (b[pitm.body] === 0 ? be16(b, pitm.body + 4) : be32(b, pitm.body + 4)) : null;
  const exif = exifLocation(b, children);
  const iprp = children.find((x) => x.type === "iprp");
  if (!iprp) return { ...none, exif };
  const iprpChildren = boxes(b, iprp.body, iprp.end);
  const ipco = iprpChildren.find((x) => x.type === "ipco");
  if (!ipco) return { ...none, exif };
  const properties = boxes(b, ipco.body, ipco.end);
  const associated = primary === null ? null : primaryProperties(b, iprpChildren.find((x) => x.type === "ipma"), primary);
  let best: PixelSize | null = null, rotation: number | null = null;
  properties.forEach((p, i) => {
    if (associated && !associated.has(i + 1)) return; // ipma indexes properties from 1
    if (p.type === "ispe" && p.end - p.body >= 12) {
      const candidate = size(be32(b, p.body + 4), be32(b, p.body + 8));
      if (candidate && (!best || candidate.width * candidate.height > best.width * best.height)) best = candidate;
    } else if (p.type === "irot" && p.end > p.body && associated) {
      rotation = b[p.body] & 3;
    }
  });
  // irot turns anticlockwise by 90° steps; EXIF says which way the stored picture must be turned to show.
  const orientation = rotation === null ? null : [1, 8, 3, 6][rotation];
  return { size: best, orientation, exif };
}

/** The item of type `Exif` (from `iinf`) and its one extent (from `iloc`), or null. */
function exifLocation(b: Uint8Array, children: Box[]): { offset: number; length: number } | null {
  const iinf = children.find((x) => x.type === "iinf");
  const iloc = children.find((x) => x.type === "iloc");
  if (!iinf || !iloc || iinf.end - iinf.body < 6) return null;
  let exifId: number | null = null;
  for (const infe of boxes(b, iinf.body + (b[iinf.body] === 0 ? 6 : 8), iinf.end)) {
    const version = b[infe.body];
    if (infe.type !== "infe" || version < 2) continue;
    const typeAt = infe.body + (version === 2 ? 8 : 10);
    if (typeAt + 4 <= infe.end && fourCC(b, typeAt) === "Exif") exifId = version === 2 ? be16(b, infe.body + 4) : be32(b, infe.body + 4);
  }
  if (exifId === null) return null;
  const version = b[iloc.body];
  let at = iloc.body + 4;
  if (at + 4 > iloc.end) return null;
  const offsetSize = b[at] >> 4, lengthSize = b[at] & 15, baseSize = b[at + 1] >> 4, indexSize = version >= 1 ? b[at + 1] & 15 : 0;
  at += 2;
  const sized = (n: number) => {
    const value = n === 0 ? 0 : n === 4 ? be32(b, at) : n === 8 ? be32(b, at) * 2 ** 32 + be32(b, at + 4) : NaN;
    at += n;
    return value;
  };
  const count = version < 2 ? be16(b, at) : be32(b, at);
  at += version < 2 ? 2 : 4;
  for (let i = 0; i < count && at < iloc.end; i++) {
    const id = version < 2 ? be16(b, at) : be32(b, at);
    at += version < 2 ? 2 : 4;
    const method = version >= 1 ? be16(b, at) & 15 : 0;
    if (version >= 1) at += 2;
    const dataReference = be16(b, at);
    at += 2;
    const base = sized(baseSize);
    const extents = be16(b, at);
    at += 2;
    let first: { offset: number; length: number } | null = null;
    for (let e = 0; e < extents && at <= iloc.end; e++) {
      at += indexSize;
      const offset = sized(offsetSize), length = sized(lengthSize);
      first ??= { offset: base + offset, length };
    }
    // Only data in this file at a file offset (construction method 0), in one piece.
    if (id === exifId) return method === 0 && dataReference === 0 && extents === 1 && first && Number.isFinite(first.offset) && first.length > 0 ? first : null;
  }
  return null;
}

/** Property indexes associated with `item` in `ipma`, or null when the box is missing or unreadable. */
function primaryProperties(b: Uint8Array, ipma: Box | undefined, item: number): Set<number> | null {
  if (!ipma || ipma.end - ipma.body < 8) return null;
  const version = b[ipma.body], wide = (b[ipma.body + 3] & 1) === 1;
  let at = ipma.body + 4;
  const count = be32(b, at);
  at += 4;
  for (let i = 0; i < count && at < ipma.end; i++) {
    const id = version < 1 ? be16(b, at) : be32(b, at);
    at += version < 1 ? 2 : 4;
    const n = b[at++];
    const indexes = new Set<number>();
    for (let k = 0; k < n && at < ipma.end; k++) {
      indexes.add(wide ? be16(b, at) & 0x7fff : b[at] & 0x7f);
      at += wide ? 2 : 1;
    }
    if (id === item) return indexes;
  }
  return null;
}
