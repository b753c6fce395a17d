import { assertEquals } from "./support/assert.ts";
import { looksLikeZip, sniffImageType } from "../_shared/image-sniff.ts";

const bytes = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => typeof p === "string" ? [...p].map((c) => c.charCodeAt(0)) : p));
const pad = (b: Uint8Array, n = 64) => {
  const out = new Uint8Array(Math.max(n, b.length));
  out.set(b);
  return out;
};
const ftyp = (major: string, ...compatible: string[]) =>
  pad(bytes([0, 0, 0, 16 + 4 * compatible.length], "ftyp", major, [0, 0, 0, 0], ...compatible));

Deno.test("recognises every supported image format by its magic bytes", () => {
  assertEquals(sniffImageType(pad(bytes([0xff, 0xd8, 0xff, 0xe1])))!, "image/jpeg");
  assertEquals(sniffImageType(pad(bytes([0x89], "PNG\r\n\x1a\n"))), "image/png");
  assertEquals(sniffImageType(pad(bytes("GIF89a"))), "image/gif");
  assertEquals(sniffImageType(pad(bytes("GIF87a"))), "image/gif");
  assertEquals(sniffImageType(pad(bytes("RIFF", [1, 2, 3, 4], "WEBPVP8 "))), "image/webp");
  assertEquals(sniffImageType(ftyp("heic", "mif1", "heic")), "image/heic");
  assertEquals(sniffImageType(ftyp("mif1", "mif1", "heic")), "image/heic");
  assertEquals(sniffImageType(ftyp("mif1", "mif1")), "image/heif");
  assertEquals(sniffImageType(ftyp("avif", "mif1", "miaf")), "image/avif");
  assertEquals(sniffImageType(pad(bytes("BM", [0, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0, 40, 0, 0, 0]))), "image/bmp");
  assertEquals(sniffImageType(pad(bytes("II*\0"))), "image/tiff");
  assertEquals(sniffImageType(pad(bytes("MM\0*"))), "image/tiff");
});

Deno.test("rejects look-alikes and other files", () => {
  assertEquals(sniffImageType(ftyp("isom", "isom", "mp42")), null); // an mp4 video
  assertEquals(sniffImageType(ftyp("qt  ")), null); // a QuickTime movie
  assertEquals(sniffImageType(pad(bytes("%PDF-1.7"))), null);
  assertEquals(sniffImageType(pad(bytes("RIFF", [1, 2, 3, 4], "WAVEfmt "))), null);
  assertEquals(sniffImageType(pad(bytes("BM hello world, not a bitmap"))), null);
  assertEquals(sniffImageType(new Uint8Array()), null);
  assertEquals(sniffImageType(bytes([0xff, 0xd8])), null);
});

Deno.test("recognises a zip inside the archive", () => {
  assertEquals(looksLikeZip(bytes("PK", [3, 4])), true);
  assertEquals(looksLikeZip(bytes("PK", [5, 6])), true);
  assertEquals(looksLikeZip(bytes("PK", [1, 2])), false);
});
