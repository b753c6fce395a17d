"use client";

import { useEffect, useState } from "react";
import { createClient } from "@/lib/supabase/client";
import { missingParts, type MissingParts } from "@/lib/missing-parts";

/**
 * The parts of the album's unfinished archive not yet received, read again whenever `key` changes
 * (the album's status and counters): null when nothing is missing or the rows cannot be read.
 */
export function useMissingParts(albumId: string, key: string): MissingParts | null {
  const [parts, setParts] = useState<MissingParts | null>(null);
  useEffect(() => {
    let current = true;
    const supabase = createClient();
    void (async () => {
      const archives = await supabase.from("album_archives").select("id, name, status, ordinal").eq("album_id", albumId).eq("status", "receiving");
      if (!current || archives.error) return;
      if (!archives.data?.length) return setParts(null);
      const segments = await supabase
        .from("album_segments")
        .select("archive_id, status, lease_expires_at")
        .in("archive_id", archives.data.map((a) => a.id));
      if (current && !segments.error) setParts(missingParts(archives.data, segments.data ?? [], Date.now()));
    })();
    return () => {
      current = false;
    };
  }, [albumId, key]);
  return parts;
}
