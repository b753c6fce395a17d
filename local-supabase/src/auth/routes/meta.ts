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
 * GET /.well-known/jwks.json: empty, because user tokens here are HS256 with the shared secret and a
 * symmetric key is never published. auth-js' getClaims() then verifies through GET /user (docs/supabase-behaviour.md#auth-requests, #access-tokens).
 */
export const jwks: AuthRoute = async () => ({ status: 200, body: { keys: [] } });
