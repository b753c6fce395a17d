// Test archives for the Deno tests: the shared zip writer (test/support/zip-writer.ts, which writes
// exactly what each entry spec says — lies included) with Deno's own CompressionStream for deflate.
import { writeZip, type ZipEntrySpec, type ZipOptions } from "../../../../test/support/zip-writer.ts";
import { crc32Table } from "../../_shared/crc32.ts";

export type { ZipEntrySpec, ZipOptions };

const enc = new TextEncoder();

export const crc32 = (data: Uint8Array): number => crc32Table(data, 0);

export async function deflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function buildZip(entries: ZipEntrySpec[], options: ZipOptions = {}): Promise<Uint8Array> {
  const payloads = await Promise.all(entries.map((spec) => {
    const data = spec.data ?? new Uint8Array();
    return spec.sameDataAs === undefined && spec.method === "deflate" ? deflateRaw(data) : data;
  }));
  return writeZip(entries, payloads, options);
}

/** Minimal valid images: enough magic bytes for the sniffer, padded to `size`. */
export function fakeJpeg(size = 2048, seed = 1): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + seed * 17) & 0xff;
  b.set([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);
  return b;
}

export function fakePng(size = 1024): Uint8Array {
  const b = new Uint8Array(size);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  return b;
}

export const text = (s: string) => enc.encode(s);
