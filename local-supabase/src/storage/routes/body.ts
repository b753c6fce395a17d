import { header } from "../../shared/request-auth.ts";
import { ERRORS } from "../errors.ts";
import type { RouteRequest } from "../router.ts";

const MAX_JSON_BYTES = 5 * 1024 * 1024;

/** A JSON request body as Fastify parses it for storage-api; an empty body is `{}`. */
export async function jsonBody(request: RouteRequest): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.source.chunks()) {
    size += chunk.length;
    if (size > MAX_JSON_BYTES) throw ERRORS.entityTooLarge("request body");
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return {};
  const type = header(request.req, "content-type") ?? "";
  if (type && !type.toLowerCase().includes("json")) {
    throw Object.assign(ERRORS.invalidMimeType(type), { message: "Invalid Content-Type header" });
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw ERRORS.invalidRequest("Body is not valid JSON but content-type is set to 'application/json'");
}

export function requireString(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== "string") throw ERRORS.invalidRequest(`body must have required property '${name}'`);
  return value;
}

export function optionalInt(value: unknown, name: string, min: number): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const number = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(number)) throw ERRORS.invalidRequest(`${name} must be integer`);
  if (number < min) throw ERRORS.invalidRequest(`${name} must be >= ${min}`);
  return number;
}

export function send(request: RouteRequest, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  request.res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": String(Buffer.byteLength(text)) });
  request.res.end(text);
}
