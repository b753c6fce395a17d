import type { PlatformContext, Service } from "../service-contract.ts";
import { AuthError, sendAuth, sendAuthError } from "./errors.ts";
import type { AuthRateLimits } from "../shared/config.ts";
import { AuthRateLimiter } from "./rate-limit.ts";
import { ensureAuthSchema } from "./schema.ts";
import type { AuthReply, AuthRequest, AuthRoute } from "./request.ts";
import { adminUsers } from "./routes/admin.ts";
import { health, jwks, settings } from "./routes/meta.ts";
import { logout } from "./routes/logout.ts";
import { recover } from "./routes/recover.ts";
import { verifyCode, verifyLink } from "./routes/verify.ts";
import { signup } from "./routes/signup.ts";
import { token } from "./routes/token.ts";
import { getUser, updateUser } from "./routes/user.ts";

/** The GoTrue routes the platform emulates (docs/supabase-behaviour.md#auth-routes), keyed by path, then method. See README.md. */
const ROUTES: Record<string, Partial<Record<string, AuthRoute>>> = {
  "/signup": { POST: signup },
  "/token": { POST: token },
  "/user": { GET: getUser, PUT: updateUser },
  "/logout": { POST: logout },
  "/recover": { POST: recover },
  "/verify": { GET: verifyLink, POST: verifyCode },
  "/health": { GET: health },
  "/settings": { GET: settings },
  "/.well-known/jwks.json": { GET: jwks },
};

export async function createAuthService(context: PlatformContext): Promise<Service> {
  await ensureAuthSchema(context.db);
  const limiter = new AuthRateLimiter(() => effectiveRateLimits(context));
  return {
    async handle(req, res, routed) {
      try {
        const reply = await dispatch({ req, routed, context, limiter });
        sendAuth(res, reply.status, reply.body, reply.headers);
      } catch (error) {
        if (!(error instanceof AuthError)) throw error;
        // GoTrue answers the dated error shape only to clients that name an API version of 2024-01-01 or later.
        sendAuthError(res, error, (req.headers["x-supabase-api-version"] ?? "") >= "2024-01-01");
      }
    },
  };
}

function dispatch(request: AuthRequest): Promise<AuthReply> {
  const path = request.routed.path.replace(/\/+$/, "") || "/";
  const admin = /^\/admin\/users(?:\/([^/]+))?$/.exec(path);
  if (admin) return adminUsers(request, admin[1] ?? null);
  const methods = ROUTES[path];
  if (!methods) throw new AuthError("not_found");
  const route = methods[request.req.method ?? "GET"];
  if (!route) throw new AuthError("method_not_allowed");
  return route(request);
}

/**
 * `[auth.rate_limit]` as GoTrue gets it from the CLI: without a project SMTP server (`[auth.email.smtp]`)
 * mail only reaches the local viewer and the CLI lifts `email_sent` to 360000 an hour. A test that
 * signs up more users than one IP may passes `authRateLimits` to startPlatform for its own platform.
 */
function effectiveRateLimits(context: PlatformContext): AuthRateLimits {
  const auth = context.config.auth;
  const override = context.options.authRateLimits as Partial<AuthRateLimits> | undefined;
  return { ...auth.rateLimit, emailSent: auth.emailSmtpEnabled ? auth.rateLimit.emailSent : 360_000, ...override };
}
