import { header } from "../../shared/request-auth.ts";
import { ERRORS } from "../errors.ts";
import { MAX_OBJECTS_PER_REQUEST } from "../limits.ts";
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
    throw ERRORS.invalidContentType();
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
  if (typeof value !== "string") throw ERRORS.validation(`body must have required property '${name}'`);
  return value;
}

export function optionalInt(value: unknown, name: string, min: number): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const number = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(number)) throw ERRORS.validation(`${name} must be integer`);
  if (number < min) throw ERRORS.validation(`${name} must be >= ${min}`);
  return number;
}

/** A list of names (`prefixes`, `paths`): present, strings, 1 to MAX_OBJECTS_PER_REQUEST of them. */
export function requireNameList(body: Record<string, unknown>, name: string): string[] {
  const value = body[name];
  if (value === undefined) throw ERRORS.validation(`body must have required property '${name}'`);
  if (!Array.isArray(value)) throw ERRORS.validation(`body/${name} must be array`);
  if (value.some((item) => typeof item !== "string")) throw ERRORS.validation(`body/${name} must be array of strings`);
  if (value.length < 1) throw ERRORS.validation(`body/${name} must NOT have fewer than 1 items`);
  if (value.length > MAX_OBJECTS_PER_REQUEST) throw ERRORS.validation(`body/${name} must NOT have more than ${MAX_OBJECTS_PER_REQUEST} items`);
  return value as string[];
}

export function send(request: RouteRequest, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  request.res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": String(Buffer.byteLength(text)) });
  request.res.end(text);
}
