import type { IncomingMessage } from "node:http";

/**
 * Pull-based reading of a request body. Unlike `for await (… of req)`, stopping early does not destroy
 * the request, so after a failed upload the service can still drain the rest and answer properly.
 */
export class BodySource {
  private readonly iterator: AsyncIterator<Buffer>;
  private ended = false;

  constructor(req: IncomingMessage) {
    this.iterator = req[Symbol.asyncIterator]();
  }

  /** The next chunk, or null at the end. A client that aborts makes this throw. */
  async read(): Promise<Buffer | null> {
    if (this.ended) return null;
    const next = await this.iterator.next();
    if (next.done) {
      this.ended = true;
      return null;
    }
    return next.value as Buffer;
  }

  async *chunks(): AsyncGenerator<Buffer> {
    for (let chunk = await this.read(); chunk; chunk = await this.read()) yield chunk;
  }

  get done(): boolean {
    return this.ended;
  }

  /** Reads and discards up to `cap` more bytes; true when the body ended within the cap. */
  async drain(cap: number): Promise<boolean> {
    let seen = 0;
    try {
      while (!this.ended && seen <= cap) seen += (await this.read())?.length ?? 0;
    } catch {
      return false;
    }
    return this.ended;
  }
}

/** Reads a small (JSON) body fully; `null` when there is none. */
export async function readSmallBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const source = new BodySource(req);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source.chunks()) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
