/**
 * A signed URL that saves its object under `name` (docs/supabase-behaviour.md#download-names).
 * storage-js's own `download` option double-encodes the name (it percent-encodes the query, then runs the
 * whole URL through encodeURI, which encodes each `%` again), and Storage decodes the query once, so
 * `Day 1/IMG_4001.JPG` would be saved as `Day 1%2FIMG_4001.JPG` and `Été (2).jpg` as `%C3%89t%C3%A9 %282%29.jpg`.
 * Appending the name encoded once, to a URL signed without the option, gives Storage the name itself.
 */
export function withDownloadName(signedUrl: string, name: string): string {
  const separator = signedUrl.includes("?") ? "&" : "?";
  return `${signedUrl}${separator}download=${encodeURIComponent(name)}`;
}
