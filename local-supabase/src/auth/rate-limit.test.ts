import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { test } from "node:test";
import { DEFAULT_AUTH_RATE_LIMITS, type AuthRateLimits } from "../shared/config.ts";
import { AuthError } from "./errors.ts";
import { AuthRateLimiter } from "./rate-limit.ts";

const from = (address: string) => ({ socket: { remoteAddress: address } }) as IncomingMessage;

function refusedCode(limiter: AuthRateLimiter, kind: Parameters<AuthRateLimiter["take"]>[0], req: IncomingMessage): string | null {
  try {
    limiter.take(kind, req);
    return null;
  } catch (error) {
    assert.ok(error instanceof AuthError);
    assert.equal(error.status, 429);
    return error.code;
  }
}

test("anonymous sign-ins burst the hourly allowance, then refill at limit per hour", () => {
  let now = 0;
  const limiter = new AuthRateLimiter(() => DEFAULT_AUTH_RATE_LIMITS, () => now);
  for (let i = 0; i < 30; i++) assert.equal(refusedCode(limiter, "anonymousUsers", from("10.0.0.1")), null, `sign-in ${i + 1}`);
  assert.equal(refusedCode(limiter, "anonymousUsers", from("10.0.0.1")), "over_request_rate_limit");
  assert.equal(refusedCode(limiter, "anonymousUsers", from("10.0.0.2")), null, "another address has its own bucket");
  now += 119_000; // 30 an hour is one every 120 s
  assert.equal(refusedCode(limiter, "anonymousUsers", from("10.0.0.1")), "over_request_rate_limit");
  now += 1_000;
  assert.equal(refusedCode(limiter, "anonymousUsers", from("10.0.0.1")), null);
});

test("five-minute limits burst 30 whatever the setting, and refill at setting per 300 s", () => {
  let now = 0;
  const limits: AuthRateLimits = { ...DEFAULT_AUTH_RATE_LIMITS, tokenRefresh: 150 };
  const limiter = new AuthRateLimiter(() => limits, () => now);
  for (let i = 0; i < 30; i++) assert.equal(refusedCode(limiter, "tokenRefresh", from("::1")), null);
  assert.equal(refusedCode(limiter, "tokenRefresh", from("::1")), "over_request_rate_limit");
  now += 2_000; // 150 per 300 s is one every 2 s
  assert.equal(refusedCode(limiter, "tokenRefresh", from("::1")), null);
  assert.equal(refusedCode(limiter, "tokenRefresh", from("::1")), "over_request_rate_limit");
});

test("mail is counted for the whole project and refused with its own code; a changed setting starts afresh", () => {
  const limits: AuthRateLimits = { ...DEFAULT_AUTH_RATE_LIMITS, emailSent: 2 };
  const limiter = new AuthRateLimiter(() => limits, () => 0);
  assert.equal(refusedCode(limiter, "emailSent", from("10.0.0.1")), null);
  assert.equal(refusedCode(limiter, "emailSent", from("10.0.0.2")), null);
  assert.equal(refusedCode(limiter, "emailSent", from("10.0.0.3")), "over_email_send_rate_limit");
  limits.emailSent = 3;
  assert.equal(refusedCode(limiter, "emailSent", from("10.0.0.3")), null);
});
