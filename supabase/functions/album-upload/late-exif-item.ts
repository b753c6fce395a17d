// A HEIC's `Exif` item lying past the bytes the metadata reader keeps (some tools write it at the end of
// the file; phones right after the `meta` box): its byte range is known from the `meta` box at the start
// (pixel-size.ts), so its bytes are copied as they stream by on their way to Storage, and handed to exifr
// as the one EXIF segment of a tiny JPEG (docs/architecture.md#photo-metadata).

/** An EXIF block larger than this is not worth carrying (it would not fit one JPEG segment either). */
export const MAX_EXIF_ITEM_BYTES = 65_000;

export class LateExifItem {
  readonly #bytes: Uint8Array;
  #filled = 0;

  constructor(private readonly offset: number, length: number) {
    this.#bytes = new Uint8Array(length);
  }

  get complete(): boolean {
    return this.#filled === this.#bytes.length;
  }

  /** Takes the part of `chunk` (which starts at file offset `start`) that belongs to the item. */
  add(chunk: Uint8Array, start: number): void {
    const end = this.offset + this.#bytes.length;
    if (start + chunk.length <= this.offset || start >= end) return;
    const from = Math.max(this.offset, start), to = Math.min(end, start + chunk.length);
    this.#bytes.set(chunk.subarray(from - start, to - start), from - this.offset);
    this.#filled += to - from;
  }

  /**
   * SOI, an APP1 "Exif" segment holding the item's TIFF structure, EOI; null when the item holds no TIFF
   * header where it says. The item starts with the offset of its TIFF header (usually past "Exif\0\0");
   * some writers leave that offset out and start with the TIFF header itself.
   */
  asJpeg(): Uint8Array | null {
    const item = this.#bytes;
    let tiff: Uint8Array | null = null;
    if (isTiffHeader(item, 0)) tiff = item;
    else if (item.length >= 4) {
      const at = 4 + (((item[0] << 24) | (item[1] << 16) | (item[2] << 8) | item[3]) >>> 0);
      if (at < item.length && isTiffHeader(item, at)) tiff = item.subarray(at);
    }
    if (!tiff) return null;
    const out = new Uint8Array(2 + 4 + 6 + tiff.length + 2);
    const segmentLength = 2 + 6 + tiff.length;
    out.set([0xff, 0xd8, 0xff, 0xe1, segmentLength >> 8, segmentLength & 0xff, 0x45, 0x78, 0x69, 0x66, 0, 0]);
    out.set(tiff, 12);
    out.set([0xff, 0xd9], 12 + tiff.length);
    return out;
  }
}

function isTiffHeader(b: Uint8Array, at: number): boolean {
  return at + 4 <= b.length &&
    ((b[at] === 0x4d && b[at + 1] === 0x4d && b[at + 2] === 0 && b[at + 3] === 0x2a) ||
      (b[at] === 0x49 && b[at + 1] === 0x49 && b[at + 2] === 0x2a && b[at + 3] === 0));
}
