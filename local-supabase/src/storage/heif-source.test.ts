import { test } from "node:test";
import assert from "node:assert/strict";
import sharp from "sharp";
import { isHevcHeif } from "./heif-source.ts";
import { buildHeic } from "../../../test/support/heic.ts";

const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
/** An `ftyp` box with these brands followed by `rest` (standing in for `meta`). */
function ftyp(major: string, compatible: string[], rest = ""): Uint8Array {
  const size = 16 + compatible.length * 4;
  const box = latin1(`\0\0\0${String.fromCharCode(size)}ftyp${major}\0\0\0\0${compatible.join("")}${rest}`);
  return box;
}

test("a real HEIC photo is HEVC HEIF", async () => {
  assert.equal(isHevcHeif(await buildHeic({ width: 32, height: 32 })), true);
});

test("HEVC brands count whether major or compatible; generic HEIF counts only with hvc1 items", () => {
  assert.equal(isHevcHeif(ftyp("heic", ["mif1", "heic"])), true);
  assert.equal(isHevcHeif(ftyp("mif1", ["heix"])), true);
  assert.equal(isHevcHeif(ftyp("hevc", ["msf1"])), true);
  assert.equal(isHevcHeif(ftyp("mif1", ["miaf"], "....meta....infe....hvc1")), true);
  assert.equal(isHevcHeif(ftyp("mif1", ["miaf"], "....meta....infe....av01")), false);
});

test("AVIF, video, JPEG and short or truncated heads are not HEVC HEIF", async () => {
  assert.equal(isHevcHeif(ftyp("avif", ["mif1", "miaf"], "....meta....infe....av01")), false);
  assert.equal(isHevcHeif(ftyp("isom", ["iso2", "mp41"])), false);
  assert.equal(isHevcHeif(ftyp("qt  ", ["qt  "])), false);
  const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: "red" } }).jpeg().toBuffer();
  assert.equal(isHevcHeif(jpeg), false);
  assert.equal(isHevcHeif(latin1("\0\0\0\x18ftyphe")), false);
  assert.equal(isHevcHeif(ftyp("heic", ["mif1", "heic"]).subarray(0, 20)), false, "an ftyp cut short is not trusted");
});
