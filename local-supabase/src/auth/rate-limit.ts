import type { IncomingMessage } from "node:http";
import type { AuthRateLimits } from "../shared/config.ts";
import { AuthError } from "./errors.ts";

export type LimitedKind = "anonymousUsers" | "tokenRefresh" | "signInSignUps" | "tokenVerifications" | "emailSent";

/**
 * How GoTrue turns each setting into a token bucket (tollbooth): the setting per period refills the
 * bucket, which starts full at `burst`. Anonymous sign-ins may burst their whole hourly allowance;
 * the five-minute limits burst 30. Emails are counted for the whole project, everything else per IP.
 */
const LIMITS: Record<LimitedKind, { periodSeconds: number; burst: (limit: number) => number; perIp: boolean }> = {
  anonymousUsers: { periodSeconds: 3600, burst: (limit) => limit, perIp: true },
  tokenRefresh: { periodSeconds: 300, burst: () => 30, perIp: true },
  signInSignUps: { periodSeconds: 300, burst: () => 30, perIp: true },
  tokenVerifications: { periodSeconds: 300, burst: () => 30, perIp: true },
  emailSent: { periodSeconds: 3600, burst: (limit) => limit, perIp: false },
};

interface Bucket {
  tokens: number;
  at: number;
  /** The limit the bucket was made for: a changed setting starts a fresh bucket, as GoTrue's reload does. */
  limit: number;
}

/** Buckets of one auth service; `now` is injectable so the refill can be tested without waiting. */
export class AuthRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: () => AuthRateLimits,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Takes one token or throws GoTrue's 429 for the kind. */
  take(kind: LimitedKind, req: IncomingMessage): void {
    const limit = this.limits()[kind];
    const { periodSeconds, burst, perIp } = LIMITS[kind];
    const key = perIp ? `${kind}:${clientAddress(req)}` : kind;
    const now = this.now();
    const capacity = burst(limit);
    let bucket = this.buckets.get(key);
    if (!bucket || bucket.limit !== limit) bucket = { tokens: capacity, at: now, limit };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * (limit / periodSeconds));
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      throw kind === "emailSent" ? new AuthError("over_email_send_rate_limit") : new AuthError("over_request_rate_limit");
    }
    bucket.tokens -= 1;
    if (this.buckets.size > 10_000) this.forgetFullBuckets(now);
  }

  /** A full bucket holds nothing worth remembering; dropping it keeps memory bounded under many IPs. */
  private forgetFullBuckets(now: number): void {
    for (const [key, bucket] of this.buckets) {
      const kind = key.split(":")[0] as LimitedKind;
      const capacity = LIMITS[kind].burst(bucket.limit);
      if (bucket.tokens + ((now - bucket.at) / 1000) * (bucket.limit / LIMITS[kind].periodSeconds) >= capacity) this.buckets.delete(key);
    }
  }
}

/** GoTrue keys its limits by client IP; nothing proxies the local platform, so that is the socket's peer. */
function clientAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? "unknown";
}
