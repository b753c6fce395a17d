import { assertEquals } from "./support/assert.ts";
import { crc32Table, loadCrc32 } from "../_shared/crc32.ts";

const crc32 = await loadCrc32();

const ascii = (s: string) => new TextEncoder().encode(s);

Deno.test("CRC-32 gives the standard check value, whole and chained", () => {
  // "123456789" → 0xCBF43926 is the catalogued check value of CRC-32/ISO-HDLC, the zip CRC.
  for (const fn of [crc32, crc32Table]) {
    assertEquals(fn(ascii("123456789"), 0), 0xcbf43926);
    assertEquals(fn(ascii("6789"), fn(ascii("12345"), 0)), 0xcbf43926);
    assertEquals(fn(new Uint8Array(0), 0), 0);
  }
});

Deno.test("the fast CRC-32 agrees with the reference on megabytes of data", () => {
  const data = new Uint8Array(3 * 1024 * 1024 + 17);
  for (let i = 0, x = 7; i < data.length; i++) data[i] = (x = (Math.imul(x, 48271) + 1) >>> 0) >>> 23;
  let chained = 0;
  for (let at = 0; at < data.length; at += 1 << 20) chained = crc32(data.subarray(at, at + (1 << 20)), chained);
  assertEquals(chained, crc32Table(data, 0));
  // Results are unsigned, as zip records them.
  assertEquals(chained >= 0, true);
});

Deno.test("this runtime's native CRC-32 passes the self-test and is the one used", () => {
  // Deno 2.9's node:zlib crc32 is correct; falling back to JavaScript here would cost ~0.8 CPU s per GB.
  assertEquals(crc32 === crc32Table, false);
});
