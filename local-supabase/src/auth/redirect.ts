import type { ProjectConfig } from "../shared/config.ts";

/**
 * Where an auth link may send the browser (GoTrue's rule): a URL on `site_url`'s host, or one matching
 * an `additional_redirect_urls` entry, where `*` matches within one part of a host or path and `**`
 * matches anything. Anything else — or nothing — falls back to `site_url`.
 */
export function allowedRedirect(auth: ProjectConfig["auth"], requested: string | null | undefined): string {
  if (!requested) return auth.siteUrl;
  let url: URL;
  try {
    url = new URL(requested);
  } catch {
    return auth.siteUrl;
  }
  if (url.hostname === new URL(auth.siteUrl).hostname) return requested;
  return auth.additionalRedirectUrls.some((pattern) => globMatches(pattern, requested)) ? requested : auth.siteUrl;
}

function globMatches(pattern: string, url: string): boolean {
  const source = pattern
    .split("**")
    .map((part) => part.split("*").map((literal) => literal.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^./]*"))
    .join(".*");
  // Like GoTrue's globs, an entry without wildcards admits exactly that URL (hence `/**` entries).
  return new RegExp(`^${source}$`).test(url);
}

/** Adds parameters to the query (PKCE codes) or the fragment (implicit tokens and errors). */
export function withParams(base: string, params: Record<string, string>, where: "query" | "fragment"): string {
  const url = new URL(base);
  if (where === "query") {
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    return url.toString();
  }
  url.hash = new URLSearchParams(params).toString();
  return url.toString();
}
