"use client";

import { useCallback, useEffect, useState } from "react";
import { signDownloadUrl } from "@/hooks/use-signed-urls";

/**
 * What a photo shows when no image of it can be drawn: its rendition failed (Storage could not render the
 * source, a HEIC it cannot decode, say) or, in a project without image transformations, the browser cannot
 * decode the original (HEIC everywhere but Safari). Never a broken image; always a way to the original.
 */

/** HEIC/HEIF by name: only for the wording, the failure itself is what the browser reports. */
export function isHeicName(name: string): boolean {
  return /\.(heic|heif)$/i.test(name);
}

export function unavailableMessage(name: string): string {
  return isHeicName(name) ? "Can't show HEIC preview" : "Preview unavailable";
}

/**
 * Whether the image at `url` failed to load (`<img onError>`). A failure belongs to its URL: a newly
 * signed URL, or another photo's, gets a fresh try.
 */
export function usePreviewFailure(url: string | undefined): { failed: boolean; onError: () => void } {
  const [failedUrl, setFailedUrl] = useState<string | null>(null);
  const onError = useCallback(() => setFailedUrl(url ?? null), [url]);
  return { failed: url !== undefined && failedUrl === url, onError };
}

/** A link that saves the original under its own file name, signed when it is first shown. */
export function DownloadOriginalLink({ path, name, className }: { path: string; name: string; className: string }) {
  const [signed, setSigned] = useState<{ path: string; url: string } | null>(null);
  useEffect(() => {
    let current = true;
    void signDownloadUrl(path, name).then((url) => {
      if (current && url) setSigned({ path, url });
    });
    return () => {
      current = false;
    };
  }, [path, name]);
  const baseName = name.split("/").pop() ?? name;
  if (signed?.path !== path) return <span className={`${className} opacity-60`} aria-hidden="true">Download original</span>;
  return (
    <a href={signed.url} className={className} aria-label={`Download original of ${baseName}`}>
      Download original
    </a>
  );
}

/** The lightbox's stand-in for a photo it cannot show: what happened, and the original to download. */
export function UnavailablePhotoPanel({ path, name }: { path: string | null; name: string }) {
  return (
    <div role="status" className="flex max-w-sm flex-col items-center gap-3 rounded-md border border-stone-600 px-6 py-8 text-center">
      <p className="font-medium">{unavailableMessage(name)}</p>
      <p className="text-sm text-stone-300">The original is stored as it was uploaded; download it to open it on your device.</p>
      {path && <DownloadOriginalLink path={path} name={name} className="inline-flex min-h-10 items-center rounded-md bg-white px-4 py-2 text-sm font-medium text-stone-900 hover:bg-stone-200" />}
    </div>
  );
}
