import assert from "node:assert/strict";
import { test } from "node:test";
import { readProjectConfig } from "../shared/config.ts";
import { allowedRedirect, withParams } from "./redirect.ts";

const auth = {
  ...readProjectConfig("/nonexistent").auth,
  siteUrl: "http://localhost:3000",
  additionalRedirectUrls: ["http://127.0.0.1:3000", "https://*.shoebox.example/**", "https://preview-*.example.com/auth/*"],
};

test("site_url's host and an exact allow-list entry pass; anything else falls back to site_url", () => {
  assert.equal(allowedRedirect(auth, "http://localhost:3000/auth/callback?next=/x"), "http://localhost:3000/auth/callback?next=/x");
  assert.equal(allowedRedirect(auth, "http://localhost:9999/elsewhere"), "http://localhost:9999/elsewhere", "GoTrue compares the host only");
  assert.equal(allowedRedirect(auth, "http://127.0.0.1:3000"), "http://127.0.0.1:3000");
  assert.equal(allowedRedirect(auth, "http://127.0.0.1:3000/auth/callback"), "http://localhost:3000", "a plain entry is that URL only");
  assert.equal(allowedRedirect(auth, "http://127.0.0.1:30001/"), "http://localhost:3000");
  assert.equal(allowedRedirect(auth, "https://evil.example/steal"), "http://localhost:3000");
  assert.equal(allowedRedirect(auth, "not a url"), "http://localhost:3000");
  assert.equal(allowedRedirect(auth, null), "http://localhost:3000");
});

test("globs: * stays within one host label or path segment, ** matches anything", () => {
  assert.equal(allowedRedirect(auth, "https://app.shoebox.example/a/b?c=d"), "https://app.shoebox.example/a/b?c=d");
  assert.equal(allowedRedirect(auth, "https://a.b.shoebox.example/"), "http://localhost:3000");
  assert.equal(allowedRedirect(auth, "https://preview-42.example.com/auth/callback"), "https://preview-42.example.com/auth/callback");
  assert.equal(allowedRedirect(auth, "https://preview-42.example.com/auth/a/b"), "http://localhost:3000");
});

test("codes go in the query next to the app's own parameters; tokens and errors in the fragment", () => {
  assert.equal(withParams("http://localhost:3000/auth/callback?next=/a", { code: "c1" }, "query"), "http://localhost:3000/auth/callback?next=%2Fa&code=c1");
  assert.equal(withParams("http://localhost:3000/", { access_token: "t", type: "recovery" }, "fragment"), "http://localhost:3000/#access_token=t&type=recovery");
});
