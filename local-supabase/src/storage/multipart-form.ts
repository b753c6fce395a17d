import busboy from "busboy";
import type { Readable } from "node:stream";
import type { BodySource } from "./body-source.ts";

export class MultipartError extends Error {}

export interface MultipartFile {
  fieldName: string;
  filename: string | undefined;
  /** The part's Content-Type, or busboy's default `text/plain` when it has none. */
  mimeType: string;
  /** The file's bytes, read from the request only as fast as they are taken from here. */
  chunks: AsyncIterable<Buffer>;
}

export interface MultipartHead {
  /** Fields before the file, by name. */
  fields: Record<string, string>;
  /** Fields longer than `fieldSize`; their values are not kept. */
  oversizedFields: string[];
  /** The first file part, or null when the form has none. */
  file: MultipartFile | null;
}

export interface MultipartLimits {
  /** More fields than this is an error, as @fastify/multipart's `fields` limit makes it. */
  fields: number;
  fieldSize: number;
}

/**
 * Reads a `multipart/form-data` body with busboy — the parser storage-api's @fastify/multipart runs —
 * up to the first file part, and hands that part back as a stream. Nothing is buffered beyond the
 * request chunk being parsed: input is pulled from `source` only when the file's reader wants more,
 * so an object of any size goes to disk without being held in memory.
 */
export async function readMultipartHead(source: BodySource, contentType: string, limits: MultipartLimits): Promise<MultipartHead> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: { "content-type": contentType }, limits: { fields: limits.fields, fieldSize: limits.fieldSize, files: 1 }, preservePath: true, defParamCharset: "utf8" });
  } catch (error) {
    throw new MultipartError((error as Error).message);
  }
  const fields: Record<string, string> = {};
  const oversizedFields: string[] = [];
  let file: { name: string; stream: Readable; info: busboy.FileInfo } | null = null;
  let failure: Error | null = null;
  let inputDone = false;
  const settled = new Promise<void>((resolve) => {
    parser.once("close", resolve);
    parser.once("error", (error: Error) => {
      failure ??= new MultipartError(error.message);
      resolve();
    });
  });
  parser.on("field", (name, value, info) => {
    if (info.valueTruncated) oversizedFields.push(name);
    else fields[name] = value;
  });
  parser.on("fieldsLimit", () => (failure ??= new MultipartError("Reached fields limit")));
  parser.on("file", (name, stream, info) => {
    // A form cut short also errors the part's stream; an unheard 'error' would take the process down.
    stream.on("error", (error: Error) => (failure ??= new MultipartError(error.message)));
    if (file) return void stream.resume();
    file = { name, stream, info };
  });

  /** Parses one more request chunk; false once the body has ended and the parser has settled. */
  const feed = async (): Promise<boolean> => {
    if (inputDone) return false;
    const chunk = await source.read();
    if (chunk) {
      parser.write(chunk);
      return true;
    }
    inputDone = true;
    parser.end();
    await settled;
    return false;
  };

  while (!file && !failure && (await feed()));
  if (failure) throw failure;
  if (!file) return { fields, oversizedFields, file: null };
  const found: { name: string; stream: Readable; info: busboy.FileInfo } = file;
  return {
    fields,
    oversizedFields,
    // busboy leaves an empty name (storage-js's "") undefined.
    file: { fieldName: found.name ?? "", filename: found.info.filename, mimeType: found.info.mimeType, chunks: fileChunks(found.stream) },
  };

  async function* fileChunks(stream: Readable): AsyncGenerator<Buffer> {
    let ended = false;
    stream.once("end", () => (ended = true));
    for (;;) {
      for (let piece = stream.read() as Buffer | null; piece !== null; piece = stream.read() as Buffer | null) yield piece;
      if (failure) throw failure;
      if (ended) return;
      if (!(await feed())) {
        // The body is over: whatever the parser had left is readable now, or the form was cut short.
        await new Promise((resolve) => setImmediate(resolve));
        for (let piece = stream.read() as Buffer | null; piece !== null; piece = stream.read() as Buffer | null) yield piece;
        if (failure) throw failure;
        if (!ended && !stream.readableEnded) throw new MultipartError("Unexpected end of form");
        return;
      }
    }
  }
}
