"use client";

import { useState } from "react";
import { Dialog } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { createClient } from "@/lib/supabase/client";
import { deletePhotos } from "@/lib/photo-deletion";
import { plural } from "@/lib/format";

/**
 * Asks before deleting the selected photos, then deletes them (lib/photo-deletion.ts: rows and counters
 * first, in one step, then the files). On success the album is read again; on failure the dialog says
 * why and stays open, so deleting again is one click.
 */
export function DeletePhotosDialog({ open, albumId, indexes, onClose, onDeleted }: {
  open: boolean;
  albumId: string;
  indexes: number[];
  onClose: () => void;
  onDeleted: () => void;
}) {
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const count = indexes.length;
  const close = () => {
    if (deleting) return;
    setError(null);
    onClose();
  };
  const confirm = async () => {
    setDeleting(true);
    setError(null);
    const result = await deletePhotos(createClient(), albumId, indexes);
    setDeleting(false);
    if (result.ok) onDeleted();
    else setError(result.message);
  };
  return (
    <Dialog open={open} onClose={close} title={`Delete ${plural(count, "photo")}?`}>
      <div className="flex flex-col gap-4 text-sm">
        <p>
          {count === 1 ? "The photo is" : `The ${count} photos are`} removed from this album and from your storage. This cannot be undone;
          the zip you imported them from still holds them.
        </p>
        {error && <Notice tone="error">{error}</Notice>}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={close} disabled={deleting}>Cancel</Button>
          <Button variant="danger" onClick={() => void confirm()} disabled={deleting || count === 0}>
            {deleting ? "Deleting…" : `Delete ${plural(count, "photo")}`}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
