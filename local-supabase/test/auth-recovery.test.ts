import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { createClient } from "@supabase/supabase-js";
import WebSocket from "ws";
import { startTestPlatform, ANON_KEY, type TestPlatform } from "./support/platform.ts";

const SUPABASE_DIR = fileURLToPath(new URL("../../supabase", import.meta.url));
const APP = "http://localhost:3000";

interface MailSummary {
  ID: string;
  To: { Address: string }[];
  Subject: string;
}

describe("password recovery (/auth/v1/recover, /verify) with the local mail viewer (/mail)", () => {
  let platform: TestPlatform;
  before(async () => {
    platform = await startTestPlatform({ supabaseDir: SUPABASE_DIR });
  });
  after(async () => {
    await platform?.close();
  });

  /** The newest mail to `email`, read through the viewer's Mailpit-style API. */
  async function latestMailTo(email: string) {
    const list = await (await fetch(`${platform.url}/mail/api/v1/messages?query=to:${encodeURIComponent(email)}`)).json();
    const summary = list.messages[0] as MailSummary | undefined;
    assert.ok(summary, `a mail to ${email}`);
    const mail = await (await fetch(`${platform.url}/mail/api/v1/message/${summary.ID}`)).json();
    return mail as { Subject: string; Text: string; HTML: string; Links: string[]; To: { Address: string }[] };
  }

  /** Follows a link the way a browser does, but stops at the first redirect. */
  async function follow(link: string): Promise<URL> {
    const response = await fetch(link, { redirect: "manual" });
    assert.equal(response.status, 303);
    return new URL(response.headers.get("location")!);
  }

  test("implicit flow: the mailed link signs the user in for a new password, once", async () => {
    const { email, client } = await platform.newUser();
    const asked = await platform.anon().auth.resetPasswordForEmail(email, { redirectTo: `${APP}/reset-password` });
    assert.deepEqual(asked, { data: {}, error: null });

    const mail = await latestMailTo(email);
    assert.equal(mail.Subject, "Reset Your Password");
    assert.equal(mail.To[0].Address, email);
    assert.equal(mail.Links.length, 1);
    const link = new URL(mail.Links[0]);
    assert.equal(`${link.origin}${link.pathname}`, `${platform.url}/auth/v1/verify`);
    assert.equal(link.searchParams.get("type"), "recovery");
    assert.match(mail.Text, /enter the code: \d{6}/);

    const landing = await follow(mail.Links[0]);
    assert.equal(`${landing.origin}${landing.pathname}`, `${APP}/reset-password`);
    const fragment = new URLSearchParams(landing.hash.slice(1));
    assert.equal(fragment.get("type"), "recovery");
    assert.equal(fragment.get("token_type"), "bearer");

    const recovering = platform.anon();
    const { error: sessionError } = await recovering.auth.setSession({ access_token: fragment.get("access_token")!, refresh_token: fragment.get("refresh_token")! });
    assert.equal(sessionError, null);
    assert.equal((await recovering.auth.updateUser({ password: "a brand new password" })).error, null);
    assert.equal((await platform.anon().auth.signInWithPassword({ email, password: "a brand new password" })).error, null);
    assert.equal((await platform.anon().auth.signInWithPassword({ email, password: "correct horse battery staple" })).error?.code, "invalid_credentials");
    assert.ok(client);

    const again = await follow(mail.Links[0]);
    const refused = new URLSearchParams(again.hash.slice(1));
    assert.equal(refused.get("error_code"), "otp_expired");
    assert.equal(refused.get("error_description"), "Email link is invalid or has expired");
  });

  test("PKCE flow (the SSR client's): the link answers a code that only the asking client can exchange", async () => {
    const { email } = await platform.newUser();
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) };
    const browser = createClient(platform.url, ANON_KEY, {
      auth: { flowType: "pkce", storage, persistSession: true, autoRefreshToken: false, detectSessionInUrl: false },
      realtime: { transport: WebSocket as never },
    });
    assert.equal((await browser.auth.resetPasswordForEmail(email, { redirectTo: `${APP}/auth/callback?next=/reset-password` })).error, null);
    const link = new URL((await latestMailTo(email)).Links[0]);
    assert.match(link.searchParams.get("token") ?? "", /^pkce_/);

    const landing = await follow(link.toString());
    assert.equal(landing.searchParams.get("next"), "/reset-password", "the app's own query survives");
    const code = landing.searchParams.get("code");
    assert.ok(code);

    const stranger = await fetch(`${platform.url}/auth/v1/token?grant_type=pkce`, {
      method: "POST",
      headers: { apikey: ANON_KEY, "Content-Type": "application/json", "X-Supabase-Api-Version": "2024-01-01" },
      body: JSON.stringify({ auth_code: code, code_verifier: "a verifier this client never made" }),
    });
    assert.equal(stranger.status, 400);
    assert.equal((await stranger.json()).code, "bad_code_verifier");

    const saved = [...store.entries()].find(([key]) => key.endsWith("-code-verifier"))?.[1];
    assert.ok(saved, "the asking client kept its verifier");
    const verifier = String(JSON.parse(saved)).split("/")[0];
    const { data, error } = await browser.auth.exchangeCodeForSession(code);
    assert.equal(error, null);
    assert.equal((data as { redirectType?: string | null }).redirectType, "recovery", "auth-js remembers the verifier came from a password reset");
    const claims = JSON.parse(Buffer.from(data.session!.access_token.split(".")[1], "base64url").toString("utf8"));
    assert.equal(claims.amr[0].method, "recovery");
    assert.equal((await browser.auth.updateUser({ password: "chosen after recovery" })).error, null);
    assert.equal((await platform.anon().auth.signInWithPassword({ email, password: "chosen after recovery" })).error, null);
    const replay = await fetch(`${platform.url}/auth/v1/token?grant_type=pkce`, {
      method: "POST",
      headers: { apikey: ANON_KEY, "Content-Type": "application/json", "X-Supabase-Api-Version": "2024-01-01" },
      body: JSON.stringify({ auth_code: code, code_verifier: verifier }),
    });
    assert.equal(replay.status, 404, "a code works once, even with the right verifier");
    assert.equal((await replay.json()).code, "flow_state_not_found");
  });

  test("the mailed six-digit code works with verifyOtp", async () => {
    const { email, id } = await platform.newUser();
    await platform.anon().auth.resetPasswordForEmail(email);
    const code = /enter the code: (\d{6})/.exec((await latestMailTo(email)).Text)![1];
    const wrong = await platform.anon().auth.verifyOtp({ email, token: code === "000000" ? "111111" : "000000", type: "recovery" });
    assert.equal(wrong.error?.code, "otp_expired");
    const { data, error } = await platform.anon().auth.verifyOtp({ email, token: code, type: "recovery" });
    assert.equal(error, null);
    assert.equal(data.user?.id, id);
  });

  test("unknown addresses get the same answer and no mail; a second request too soon is refused", async () => {
    const nobody = `nobody-${Date.now()}@example.com`;
    assert.deepEqual(await platform.anon().auth.resetPasswordForEmail(nobody), { data: {}, error: null });
    const none = await (await fetch(`${platform.url}/mail/api/v1/messages?query=to:${nobody}`)).json();
    assert.equal(none.total, 0);

    const { email } = await platform.newUser();
    assert.equal((await platform.anon().auth.resetPasswordForEmail(email)).error, null);
    const soon = await platform.anon().auth.resetPasswordForEmail(email);
    assert.equal(soon.error?.status, 429);
    assert.equal(soon.error?.code, "over_email_send_rate_limit");
    assert.match(soon.error?.message ?? "", /^For security purposes, you can only request this after \d+ seconds\.$/);
  });

  test("a redirect outside site_url and additional_redirect_urls falls back to site_url", async () => {
    const { email } = await platform.newUser();
    await platform.anon().auth.resetPasswordForEmail(email, { redirectTo: "https://evil.example/steal" });
    const landing = await follow((await latestMailTo(email)).Links[0]);
    assert.equal(landing.origin, new URL(platform.platform.context.config.auth.siteUrl).origin);
  });

  test("the viewer page lists each mail with its subject, recipient and link", async () => {
    const { email } = await platform.newUser();
    await platform.anon().auth.resetPasswordForEmail(email);
    const response = await fetch(`${platform.url}/mail`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /text\/html/);
    const html = await response.text();
    assert.ok(html.includes(email));
    assert.ok(html.includes("Reset Your Password"));
    const link = (await latestMailTo(email)).Links[0];
    assert.ok(html.includes(link.replace(/&/g, "&amp;")), "the link is on the page");
  });
});
