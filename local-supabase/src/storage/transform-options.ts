import { ERRORS } from "./errors.ts";

/** What storage-js can ask of a rendition (docs/supabase-behaviour.md#image-transformations). */
export interface TransformOptions {
  width?: number;
  height?: number;
  resize?: "cover" | "contain" | "fill";
  format?: "origin" | "avif" | "webp";
  quality?: number;
}

const RESIZE = ["cover", "contain", "fill"] as const;
const FORMAT = ["origin", "avif", "webp"] as const;

/** Hosted Storage clamps (never refuses) a requested width or height to this range. */
export const SIZE_LIMITS = { min: 1, max: 2500 };

/**
 * Reads options as storage-api's route schema does: integers coerced from text, width/height ≥ 0,
 * quality 20–100, resize and format from their lists; a failure names the field in Fastify's words.
 * `where` is `querystring` for render routes and `body/transform` for signing.
 */
export function readTransformOptions(source: Record<string, unknown>, where: string): TransformOptions {
  const options: TransformOptions = {};
  const integer = (name: "width" | "height" | "quality", min: number, max?: number) => {
    const raw = source[name];
    if (raw === undefined || raw === null) return;
    const value = typeof raw === "number" ? raw : /^-?\d+$/.test(String(raw).trim()) ? Number(raw) : NaN;
    if (!Number.isInteger(value)) throw ERRORS.validation(`${where}/${name} must be integer`);
    if (value < min) throw ERRORS.validation(`${where}/${name} must be >= ${min}`);
    if (max !== undefined && value > max) throw ERRORS.validation(`${where}/${name} must be <= ${max}`);
    options[name] = value;
  };
  integer("width", 0);
  integer("height", 0);
  integer("quality", 20, 100);
  const oneOf = <T extends string>(name: "resize" | "format", allowed: readonly T[]): T | undefined => {
    const raw = source[name];
    if (raw === undefined || raw === null) return undefined;
    if (!allowed.includes(raw as T)) throw ERRORS.validation(`${where}/${name} must be equal to one of the allowed values`);
    return raw as T;
  };
  const resize = oneOf("resize", RESIZE);
  if (resize) options.resize = resize;
  const format = oneOf("format", FORMAT);
  if (format) options.format = format;
  return options;
}

export function queryTransformOptions(params: URLSearchParams): TransformOptions {
  const source: Record<string, string> = {};
  for (const name of ["width", "height", "resize", "format", "quality"]) {
    const value = params.get(name);
    if (value !== null) source[name] = value;
  }
  return readTransformOptions(source, "querystring");
}

const clamp = (value: number) => Math.min(Math.max(value, SIZE_LIMITS.min), SIZE_LIMITS.max);

/**
 * The `transformations` claim a signed rendition URL carries, built as storage-api builds it
 * (`height:100,width:100,resize:cover`): width/height clamped, `resize` written whenever a size is
 * (even when the caller gave none), quality when given, format unless `origin`. Empty = no rendition.
 */
export function transformationClaim(options: TransformOptions): string {
  const parts: string[] = [];
  if (options.height) parts.push(`height:${clamp(options.height)}`);
  if (options.width) parts.push(`width:${clamp(options.width)}`);
  if (options.width || options.height) parts.push(`resize:${options.resize}`);
  if (options.quality) parts.push(`quality:${options.quality}`);
  if (options.format && options.format !== "origin") parts.push(`format:${options.format}`);
  return parts.join(",");
}

/** Reads a `transformations` claim back; unknown or empty parts are ignored, as storage-api ignores them. */
export function parseTransformationClaim(claim: string): TransformOptions {
  const options: TransformOptions = {};
  for (const part of claim.split(",")) {
    const [name, value] = part.split(":");
    if (!value) continue;
    if (name === "width" || name === "height" || name === "quality") options[name] = parseInt(value, 10);
    else if (name === "resize" && (RESIZE as readonly string[]).includes(value)) options.resize = value as TransformOptions["resize"];
    else if (name === "format" && (FORMAT as readonly string[]).includes(value)) options.format = value as TransformOptions["format"];
  }
  return options;
}

/**
 * The `X-Transformations` header: the options as storage-api hands them to imgproxy
 * (`resizing_type` fill for cover, fit for contain, force for fill).
 */
export function transformationHeader(options: TransformOptions): string {
  const parts: string[] = [];
  if (options.height) parts.push(`height:${clamp(options.height)}`);
  if (options.width) parts.push(`width:${clamp(options.width)}`);
  if (options.width || options.height) parts.push(`resizing_type:${{ cover: "fill", contain: "fit", fill: "force" }[options.resize ?? "cover"]}`);
  if (options.quality) parts.push(`quality:${options.quality}`);
  if (options.format && options.format !== "origin") parts.push(`format:${options.format}`);
  return parts.join(",");
}
