// The few bytes of a streamed JPEG that its metadata needs: the EXIF segment (APP1 "Exif") and the frame
// header (SOF), found by walking segment headers as chunks pass, without joining the chunks into one
// prefix. A phone's JPEG reaches its frame header within a few dozen KiB; copying only these segments
// keeps the metadata step's cost per photo small (scripts/bench/photo-metadata.ts).

const SOI = [0xff, 0xd8], EOI = [0xff, 0xd9];

export class JpegHead {
  readonly #chunks: Uint8Array[] = [];
  readonly #starts: number[] = [];
  #length = 0;
  /** Where the next segment marker is expected. */
  #at = 2;
  #exif: [number, number] | null = null;
  #frame: [number, number] | null = null;
  #done = false;

  /** Bytes seen so far (never more than `limit`, the caller's). */
  get length(): number {
    return this.#length;
  }

  /** True once the frame header is found, or the bytes say no more is worth reading. */
  get done(): boolean {
    return this.#done;
  }

  /** Takes the next chunk (the caller trims it to its limit); answers `done`. */
  add(chunk: Uint8Array): boolean {
    if (this.#done || chunk.length === 0) return this.#done;
    this.#chunks.push(chunk);
    this.#starts.push(this.#length);
    this.#length += chunk.length;
    this.#walk();
    return this.#done;
  }

  /**
   * SOI, the EXIF segment, the frame header and EOI, as one small JPEG (a segment cut short by the end
   * of what was seen is given as far as it goes; exifr needs a marker after the EXIF segment to read
   * it), and the chunks are let go.
   */
  bytes(): Uint8Array {
    const ranges = [this.#exif, this.#frame].filter((r): r is [number, number] => r !== null)
      .map(([start, end]) => [start, Math.min(end, this.#length)] as const);
    const out = new Uint8Array(4 + ranges.reduce((n, [start, end]) => n + end - start, 0));
    out.set(SOI);
    let at = 2;
    for (const [start, end] of ranges) {
      this.#copy(start, end, out, at);
      at += end - start;
    }
    out.set(EOI, at);
    this.#chunks.length = 0;
    this.#starts.length = 0;
    this.#done = true;
    return out;
  }

  #walk(): void {
    if (this.#length >= 2 && this.#at === 2 && (this.#byte(0) !== 0xff || this.#byte(1) !== 0xd8)) return void (this.#done = true);
    while (this.#at + 4 <= this.#length) {
      const at = this.#at;
      if (this.#byte(at) !== 0xff) return void (this.#done = true); // not a segment: corrupt
      const marker = this.#byte(at + 1);
      if (marker === 0xff) { // fill byte
        this.#at++;
        continue;
      }
      if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) { // markers without a length
        this.#at += 2;
        continue;
      }
      if (marker === 0xda || marker === 0xd9) return void (this.#done = true); // the scan: no frame header before it
      const end = at + 2 + ((this.#byte(at + 2) << 8) | this.#byte(at + 3));
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        if (end > this.#length) return; // the frame header's bytes are still to come
        this.#frame = [at, end];
        return void (this.#done = true);
      }
      if (marker === 0xe1 && !this.#exif) {
        if (at + 10 > this.#length) return; // its signature is still to come
        if (this.#isExif(at + 4)) this.#exif = [at, end];
      }
      this.#at = end;
    }
  }

  /** "Exif\0\0" at `at`. */
  #isExif(at: number): boolean {
    return this.#byte(at) === 0x45 && this.#byte(at + 1) === 0x78 && this.#byte(at + 2) === 0x69 && this.#byte(at + 3) === 0x66 &&
      this.#byte(at + 4) === 0 && this.#byte(at + 5) === 0;
  }

  #chunkAt(offset: number): number {
    let i = this.#starts.length - 1;
    while (i > 0 && this.#starts[i] > offset) i--;
    return i;
  }

  #byte(offset: number): number {
    const i = this.#chunkAt(offset);
    return this.#chunks[i][offset - this.#starts[i]];
  }

  #copy(start: number, end: number, out: Uint8Array, at: number): void {
    for (let i = this.#chunkAt(start); i < this.#chunks.length && start < end; i++) {
      const chunk = this.#chunks[i], from = start - this.#starts[i];
      const piece = chunk.subarray(from, Math.min(chunk.length, from + end - start));
      out.set(piece, at);
      at += piece.length;
      start += piece.length;
    }
  }
}
