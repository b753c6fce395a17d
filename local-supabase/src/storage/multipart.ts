import type { BodySource } from "./body-source.ts";

export interface PartHeaders {
  name: string;
  filename?: string;
  contentType?: string;
}

const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");
const MAX_HEADER_BYTES = 64 * 1024;

export class MultipartError extends Error {}

/**
 * A small streaming `multipart/form-data` reader (RFC 7578). It holds at most one network chunk plus a
 * delimiter's length in memory, so a part's body can be piped to disk whatever its size. Parts are
 * read in order: `nextPart()` returns headers, then `body()` yields that part's bytes.
 */
export class MultipartReader {
  // A leading CRLF lets the very first boundary match the same "\r\n--boundary" delimiter as the rest.
  private buffer: Buffer = Buffer.from(CRLF);
  private readonly delimiter: Buffer;
  private state: "start" | "body" | "between" | "done" = "start";

  constructor(private readonly source: BodySource, boundary: string) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  async nextPart(): Promise<PartHeaders | null> {
    if (this.state === "done") return null;
    if (this.state === "start") await this.skipPastDelimiter();
    if (this.state === "body") for await (const _ of this.body()) void _;
    // After a delimiter: "--" closes the form, CRLF starts a part.
    while (this.buffer.length < 2) if (!(await this.fill())) throw new MultipartError("Unexpected end of form");
    if (this.buffer[0] === 0x2d && this.buffer[1] === 0x2d) {
      this.state = "done";
      return null;
    }
    const headerBlock = await this.readHeaderBlock();
    this.state = "body";
    return parseHeaders(headerBlock);
  }

  /** The current part's bytes; ends at the next delimiter. */
  async *body(): AsyncGenerator<Buffer> {
    if (this.state !== "body") return;
    for (;;) {
      const index = this.buffer.indexOf(this.delimiter);
      if (index >= 0) {
        const last = this.buffer.subarray(0, index);
        this.buffer = this.buffer.subarray(index + this.delimiter.length);
        this.state = "between";
        if (last.length > 0) yield last;
        return;
      }
      // Keep a tail that might be the start of a delimiter split across chunks.
      const safe = this.buffer.length - (this.delimiter.length - 1);
      if (safe > 0) {
        const piece = this.buffer.subarray(0, safe);
        this.buffer = this.buffer.subarray(safe);
        yield piece;
      }
      if (!(await this.fill())) throw new MultipartError("Unexpected end of form");
    }
  }

  async text(limit: number): Promise<string | null> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.body()) {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    }
    return size <= limit ? Buffer.concat(chunks).toString("utf8") : null;
  }

  private async fill(): Promise<boolean> {
    const chunk = await this.source.read();
    if (!chunk) return false;
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    return true;
  }

  private async skipPastDelimiter(): Promise<void> {
    for (;;) {
      const index = this.buffer.indexOf(this.delimiter);
      if (index >= 0) {
        this.buffer = this.buffer.subarray(index + this.delimiter.length);
        this.state = "between";
        return;
      }
      this.buffer = this.buffer.subarray(Math.max(0, this.buffer.length - this.delimiter.length));
      if (!(await this.fill())) throw new MultipartError("Multipart: Boundary not found");
    }
  }

  private async readHeaderBlock(): Promise<string> {
    for (;;) {
      // The line after the delimiter: optional padding, then CRLF; an empty header block is CRLF CRLF.
      const lineEnd = this.buffer.indexOf(CRLF);
      if (lineEnd >= 0) {
        const rest = this.buffer.subarray(lineEnd + 2);
        if (rest.length >= 2 && rest[0] === 0x0d && rest[1] === 0x0a) {
          this.buffer = rest.subarray(2);
          return "";
        }
        const end = rest.indexOf(HEADER_END);
        if (end >= 0) {
          this.buffer = rest.subarray(end + 4);
          return rest.subarray(0, end).toString("utf8");
        }
      }
      if (this.buffer.length > MAX_HEADER_BYTES) throw new MultipartError("Multipart: header too large");
      if (!(await this.fill())) throw new MultipartError("Unexpected end of form");
    }
  }
}

export function boundaryOf(contentType: string): string | null {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : null;
}

function parseHeaders(block: string): PartHeaders {
  const headers: PartHeaders = { name: "" };
  for (const line of block.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === "content-type") headers.contentType = value;
    if (key === "content-disposition") {
      headers.name = param(value, "name") ?? "";
      headers.filename = param(value, "filename");
    }
  }
  return headers;
}

function param(disposition: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|;)\\s*${name}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, "i").exec(disposition);
  if (!match) return undefined;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, "$1") : match[2].trim();
}
