import { test } from "node:test";
import assert from "node:assert/strict";
import { FALLBACK_LOCALE, localeFromAcceptLanguage } from "./accept-language.ts";

test("the most wanted language the runtime knows", () => {
  assert.equal(localeFromAcceptLanguage("en-US,en;q=0.9"), "en-US");
  assert.equal(localeFromAcceptLanguage("fr;q=0.5, de-DE;q=0.8"), "de-DE");
  assert.equal(localeFromAcceptLanguage("en-GB"), "en-GB");
});

test("nothing usable falls back to the app's own locale", () => {
  assert.equal(localeFromAcceptLanguage(null), FALLBACK_LOCALE);
  assert.equal(localeFromAcceptLanguage(""), FALLBACK_LOCALE);
  assert.equal(localeFromAcceptLanguage("*"), FALLBACK_LOCALE);
  assert.equal(localeFromAcceptLanguage("not a tag!!, en-US;q=0.1"), "en-US");
  assert.equal(localeFromAcceptLanguage("en-US;q=0"), FALLBACK_LOCALE);
});
