/**
 * The locale a server-rendered date is written in: the first language of the request's
 * Accept-Language that this runtime's Intl knows, else en-GB (the app's own). Pure; see
 * accept-language.test.ts.
 */
export const FALLBACK_LOCALE = "en-GB";

export function localeFromAcceptLanguage(header: string | null | undefined): string {
  const wanted = (header ?? "")
    .split(",")
    .map((part, order) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim(), weight: Number.isFinite(weight) ? weight : 0, order };
    })
    .filter((w) => w.tag && w.tag !== "*" && w.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.order - b.order);
  for (const { tag } of wanted) {
    try {
      const [supported] = Intl.DateTimeFormat.supportedLocalesOf(tag);
      if (supported) return supported;
    } catch {
      // Not a well-formed language tag: try the next one.
    }
  }
  return FALLBACK_LOCALE;
}
