import type { IncomingMessage } from "node:http";

/**
 * Pull-based reading of a request body. Unlike `for await (… of req)`, stopping early does not destroy
 * the request, so after a failed upload the service can still drain the rest and answer properly.
 *
 * Reads the stream in paused mode (`req.read()` plus one 'readable' wake-up when it is empty) rather than
 * through the stream's async iterator: an upload is thousands of chunks, and the iterator's promise and
 * generator machinery per chunk was a measurable share of an upload's CPU.
 */
export class BodySource {
  private listening = false;
  private ended = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly req: IncomingMessage) {}

  /** The next chunk, or null at the end. A client that aborts makes this throw. */
  async read(): Promise<Buffer | null> {
    if (!this.listening) this.listen();
    for (;;) {
      if (this.failure) throw this.failure;
      if (this.ended) return null;
      const chunk = this.req.read() as Buffer | null;
      if (chunk !== null) return chunk;
      // read() returning null at the very end makes the stream emit 'end' on a later tick.
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
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

  /** Listeners go on at the first read, so a body nobody reads is left as it is (paused, unread). */
  private listen(): void {
    this.listening = true;
    const notify = () => {
      const wake = this.wake;
      this.wake = null;
      wake?.();
    };
    this.req.on("readable", notify);
    this.req.on("end", () => {
      this.ended = true;
      notify();
    });
    this.req.on("error", (error) => {
      this.failure ??= error;
      notify();
    });
    // A client gone mid-body: Node may destroy the request without an 'error' ('aborted' then 'close').
    this.req.on("close", () => {
      if (!this.ended && !this.req.readableEnded) this.failure ??= Object.assign(new Error("aborted"), { code: "ECONNRESET" });
      notify();
    });
    if (this.req.readableEnded) this.ended = true;
  }
}
