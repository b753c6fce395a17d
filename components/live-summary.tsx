"use client";

import { useEffect, useRef, useState } from "react";
import type { AlbumSummary } from "@/lib/album-state";
import { statusLabel } from "@/components/status-badge";

/** Screen readers hear the progress at most this often; status changes are announced at once. */
const CALM_MS = 10_000;

function describe(summary: AlbumSummary): string {
  const done = summary.uploaded + summary.skipped + summary.failed;
  const counts = `${summary.uploaded} added, ${summary.skipped} skipped, ${summary.failed} failed`;
  if (summary.status === "extracting" || summary.status === "uploading") {
    return `Adding photos: ${done} of ${summary.total} files processed; ${counts}.`;
  }
  return `${statusLabel(summary.status)}: ${counts}.${summary.error ? ` ${summary.error}` : ""}`;
}

/** A polite live region whose text changes at a calm pace, not with every event. */
export function LiveSummary({ summary }: { summary: AlbumSummary }) {
  const [text, setText] = useState("");
  const lastStatus = useRef(summary.status);
  const lastSpoken = useRef(0);
  const latest = describe(summary);

  useEffect(() => {
    const statusChanged = summary.status !== lastStatus.current;
    lastStatus.current = summary.status;
    const wait = statusChanged ? 0 : Math.max(0, lastSpoken.current + CALM_MS - Date.now());
    const timer = setTimeout(() => {
      lastSpoken.current = Date.now();
      setText(latest);
    }, wait);
    return () => clearTimeout(timer);
  }, [latest, summary.status]);

  return (
    <p aria-live="polite" className="sr-only">
      {text}
    </p>
  );
}
