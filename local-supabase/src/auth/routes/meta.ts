import type { AuthRoute } from "../request.ts";

/** GET /health, as GoTrue names itself. */
export const health: AuthRoute = async () => ({
  status: 200,
  body: { version: "v2.189.0", name: "GoTrue", description: "GoTrue is a user registration and authentication API" },
});

/** GET /settings: which providers are on, read from config.toml (docs/supabase-behaviour.md#project-configuration). */
export const settings: AuthRoute = async ({ context }) => {
  const auth = context.config.auth;
  return {
    status: 200,
    body: {
      external: {
        anonymous_users: auth.enableAnonymousSignIns,
        email: auth.emailEnableSignup,
        phone: false,
      },
      disable_signup: !auth.enableSignup,
      mailer_autoconfirm: !auth.emailEnableConfirmations,
      phone_autoconfirm: false,
      sms_provider: "",
      saml_enabled: false,
    },
  };
};

/**
 * GET /.well-known/jwks.json: the public half of the project's ES256 key. The legacy HS256 secret is
 * never published; supabase-js `getClaims()` verifies ES256 tokens locally with this set and falls back
 * to GET /user for HS256 ones.
 */
export const jwks: AuthRoute = async ({ context }) => ({
  status: 200,
  body: { keys: [context.keys.signing.publicJwk] },
  headers: { "Cache-Control": "public, max-age=600" },
});
