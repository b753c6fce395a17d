import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";

/** The parts of `supabase/config.toml` the local platform honours, read once at start-up (docs/supabase-behaviour.md#project-configuration). */
export interface ProjectConfig {
  api: { maxRows: number; schemas: string[] };
  auth: {
    siteUrl: string;
    jwtExpiry: number;
    enableSignup: boolean;
    enableAnonymousSignIns: boolean;
    enableRefreshTokenRotation: boolean;
    refreshTokenReuseInterval: number;
    minimumPasswordLength: number;
    emailEnableSignup: boolean;
    emailEnableConfirmations: boolean;
    /** `[auth.rate_limit]` (see local-supabase/src/auth/rate-limit.ts for each one's period). */
    rateLimit: AuthRateLimits;
    /** `[auth.email.smtp] enabled`: without a project SMTP server the CLI lifts `email_sent`, mail goes to the local viewer. */
    emailSmtpEnabled: boolean;
    /** `[auth.email] max_frequency` in seconds: how soon one address may be mailed again. */
    emailMaxFrequency: number;
    /** `[auth.email] otp_expiry` in seconds: how long an emailed link or code stays valid. */
    emailOtpExpiry: number;
    /** `additional_redirect_urls`: where auth links may send the browser besides `site_url` (globs). */
    additionalRedirectUrls: string[];
  };
  /** `imageTransformation`: `[storage.image_transformation] enabled`, off unless set, as the CLI reads it. */
  storage: { fileSizeLimit: number; buckets: Record<string, BucketConfig>; imageTransformation: boolean };
  functions: Record<string, FunctionConfig>;
  edgeRuntime: { policy: string };
  realtime: RealtimeSettings;
}

/**
 * Realtime settings hosted Supabase keeps per project outside config.toml (the CLI refuses unknown keys
 * there), read from `supabase/hosted-settings.toml` so the local platform applies what the hosted
 * project is set to.
 */
export interface RealtimeSettings {
  /** "Allow public access" off: joins of public channels are refused with `PrivateOnly`. */
  privateOnly: boolean;
}

export interface AuthRateLimits {
  emailSent: number;
  smsSent: number;
  anonymousUsers: number;
  tokenRefresh: number;
  signInSignUps: number;
  tokenVerifications: number;
  web3: number;
}

/** The CLI's defaults for `[auth.rate_limit]` keys config.toml leaves out. */
export const DEFAULT_AUTH_RATE_LIMITS: AuthRateLimits = {
  emailSent: 2,
  smsSent: 30,
  anonymousUsers: 30,
  tokenRefresh: 150,
  signInSignUps: 30,
  tokenVerifications: 30,
  web3: 30,
};

export interface BucketConfig {
  public: boolean;
  fileSizeLimit: number | null;
  allowedMimeTypes: string[] | null;
}

export interface FunctionConfig {
  enabled: boolean;
  verifyJwt: boolean;
  entrypoint?: string;
  importMap?: string;
}

type Table = Record<string, unknown>;

/** Sizes as the CLI writes them: "50MiB", "1GB", "100KB", or a bare number of bytes. */
export function parseSize(value: unknown): number | null {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value === "number") return value;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?\s*$/i.exec(String(value));
  if (!match) throw new Error(`config.toml: cannot read size "${value}" (use e.g. "50MiB")`);
  const units: Record<string, number> = { b: 1, kb: 1e3, kib: 1024, mb: 1e6, mib: 1024 ** 2, gb: 1e9, gib: 1024 ** 3 };
  return Math.round(Number(match[1]) * units[(match[2] ?? "b").toLowerCase()]);
}

/** `[auth.rate_limit]` with the CLI's snake_case keys; a non-number is refused so a typo cannot lift a limit. */
function readRateLimits(table: Record<string, unknown>): AuthRateLimits {
  const limits = { ...DEFAULT_AUTH_RATE_LIMITS };
  const keys: Record<string, keyof AuthRateLimits> = {
    email_sent: "emailSent",
    sms_sent: "smsSent",
    anonymous_users: "anonymousUsers",
    token_refresh: "tokenRefresh",
    sign_in_sign_ups: "signInSignUps",
    token_verifications: "tokenVerifications",
    web3: "web3",
  };
  for (const [key, value] of Object.entries(table)) {
    const field = keys[key];
    if (!field) throw new Error(`config.toml: [auth.rate_limit] has no key "${key}" (known: ${Object.keys(keys).join(", ")})`);
    if (typeof value !== "number" || !(value >= 0)) throw new Error(`config.toml: [auth.rate_limit] ${key} must be a number of requests, got ${JSON.stringify(value)}`);
    limits[field] = value;
  }
  return limits;
}

/** Go durations as the CLI writes them ("1s", "60s", "1m30s"), in seconds. */
export function parseDuration(value: unknown): number | null {
  if (value === undefined || value === null || value === "") return null;
  const text = String(value);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join("") !== text) {
    throw new Error(`config.toml: cannot read duration "${text}" (use e.g. "60s" or "1m")`);
  }
  const units: Record<string, number> = { h: 3600, m: 60, s: 1 };
  return parts.reduce((total, part) => total + Number(part[1]) * units[part[2]], 0);
}

export function readProjectConfig(supabaseDir: string): ProjectConfig {
  const file = join(supabaseDir, "config.toml");
  const raw: Table = existsSync(file) ? (parse(readFileSync(file, "utf8")) as Table) : {};
  const section = (value: unknown): Table => (value && typeof value === "object" ? (value as Table) : {});
  const api = section(raw.api);
  const auth = section(raw.auth);
  const email = section(auth.email);
  const storage = section(raw.storage);
  const globalLimit = parseSize(storage.file_size_limit) ?? 50 * 1024 ** 2;

  const buckets: Record<string, BucketConfig> = {};
  for (const [id, value] of Object.entries(section(storage.buckets))) {
    const bucket = section(value);
    buckets[id] = {
      public: Boolean(bucket.public),
      fileSizeLimit: parseSize(bucket.file_size_limit) ?? globalLimit,
      allowedMimeTypes: Array.isArray(bucket.allowed_mime_types) ? (bucket.allowed_mime_types as string[]) : null,
    };
  }
  const functions: Record<string, FunctionConfig> = {};
  for (const [name, value] of Object.entries(section(raw.functions))) {
    const fn = section(value);
    functions[name] = {
      enabled: fn.enabled !== false,
      verifyJwt: fn.verify_jwt !== false, // defaults to true even when the table omits it (docs/supabase-behaviour.md#routing-and-jwt-verification)
      entrypoint: typeof fn.entrypoint === "string" ? fn.entrypoint : undefined,
      importMap: typeof fn.import_map === "string" ? fn.import_map : undefined,
    };
  }
  return {
    api: {
      maxRows: typeof api.max_rows === "number" ? api.max_rows : 1000,
      schemas: Array.isArray(api.schemas) ? (api.schemas as string[]) : ["public"],
    },
    auth: {
      siteUrl: typeof auth.site_url === "string" ? auth.site_url : "http://127.0.0.1:3000",
      jwtExpiry: typeof auth.jwt_expiry === "number" ? auth.jwt_expiry : 3600,
      enableSignup: auth.enable_signup !== false,
      enableAnonymousSignIns: auth.enable_anonymous_sign_ins === true, // off unless enabled (docs/supabase-behaviour.md#auth-routes)
      enableRefreshTokenRotation: auth.enable_refresh_token_rotation !== false,
      refreshTokenReuseInterval: typeof auth.refresh_token_reuse_interval === "number" ? auth.refresh_token_reuse_interval : 10,
      minimumPasswordLength: typeof auth.minimum_password_length === "number" ? auth.minimum_password_length : 6,
      emailEnableSignup: email.enable_signup !== false,
      emailEnableConfirmations: email.enable_confirmations === true,
      rateLimit: readRateLimits(section(auth.rate_limit)),
      emailSmtpEnabled: section(email.smtp).enabled === true,
      emailMaxFrequency: parseDuration(email.max_frequency) ?? 1,
      emailOtpExpiry: typeof email.otp_expiry === "number" ? email.otp_expiry : 3600,
      additionalRedirectUrls: Array.isArray(auth.additional_redirect_urls) ? (auth.additional_redirect_urls as string[]) : [],
    },
    storage: { fileSizeLimit: globalLimit, buckets, imageTransformation: section(storage.image_transformation).enabled === true },
    functions,
    edgeRuntime: { policy: typeof section(raw.edge_runtime).policy === "string" ? String(section(raw.edge_runtime).policy) : "per_worker" },
    realtime: readRealtimeSettings(join(supabaseDir, HOSTED_SETTINGS_FILE)),
  };
}

export const HOSTED_SETTINGS_FILE = "hosted-settings.toml";

function readRealtimeSettings(file: string): RealtimeSettings {
  const raw = existsSync(file) ? (parse(readFileSync(file, "utf8")) as Table) : {};
  const realtime = raw.realtime && typeof raw.realtime === "object" ? (raw.realtime as Table) : {};
  if (realtime.private_only !== undefined && typeof realtime.private_only !== "boolean") {
    throw new Error(`${HOSTED_SETTINGS_FILE}: realtime.private_only must be true or false`);
  }
  return { privateOnly: realtime.private_only === true };
}
