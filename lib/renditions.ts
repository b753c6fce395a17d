/** The subset of storage-js's `transform` option Shoebox uses. */
export type TransformOptions = { width: number; height: number; resize: "cover" | "contain" | "fill" };

/**
 * Sizes Shoebox asks Storage to render photos at (docs/supabase-behaviour.md#image-transformations).
 * Sizes are rounded up to a step so neighbouring screens share renditions (and Storage's cache), and
 * capped at the largest size Storage renders.
 */
export const RENDITION_STEP_PX = 64;
export const RENDITION_MAX_PX = 2500;

/** Device pixels for `cssPx` CSS pixels, rounded up to the step; never 0, never above the cap. */
export function renditionPx(cssPx: number, devicePixelRatio: number): number {
  const ratio = Number.isFinite(devicePixelRatio) && devicePixelRatio > 0 ? devicePixelRatio : 1;
  const px = Math.ceil((Math.max(cssPx, 1) * ratio) / RENDITION_STEP_PX) * RENDITION_STEP_PX;
  return Math.min(px, RENDITION_MAX_PX);
}

/** A square grid tile, filled edge to edge (the tile crops, as `object-cover` does). */
export function tileTransform(tileCssPx: number, devicePixelRatio: number): TransformOptions {
  const side = renditionPx(tileCssPx, devicePixelRatio);
  return { width: side, height: side, resize: "cover" };
}

/** A whole photo that fits the screen (the lightbox), never cropped. */
export function screenTransform(cssWidth: number, cssHeight: number, devicePixelRatio: number): TransformOptions {
  return { width: renditionPx(cssWidth, devicePixelRatio), height: renditionPx(cssHeight, devicePixelRatio), resize: "contain" };
}

/** Album covers: a 4:3 card at most ~400 CSS px wide on a 2× screen (the page is rendered on the server). */
export const COVER_TRANSFORM: TransformOptions = { width: 800, height: 600, resize: "cover" };

/**
 * Whether a signed URL is a rendition. A project without image transformations signs the original
 * instead (an `/object/sign/` URL), which is how Shoebox finds out — without an extra request.
 */
export function isRenditionUrl(signedUrl: string): boolean {
  return signedUrl.includes("/render/image/sign/");
}

/** The name a download saves under: the photo's own file name, without the folders it sat in. */
export function downloadName(entryName: string): string {
  const base = entryName.split("/").filter(Boolean).pop();
  return base ?? entryName;
}

/** A stable key for one (path, transform) pair. */
export function renditionKey(path: string, transform?: TransformOptions): string {
  if (!transform) return path;
  return `${path}#${transform.width ?? ""}x${transform.height ?? ""}:${transform.resize ?? ""}`;
}
