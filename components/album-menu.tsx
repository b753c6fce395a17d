"use client";

import { useState, useTransition, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { deleteAlbum, renameAlbum } from "@/lib/album-actions";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Notice } from "@/components/ui/notice";
import { TextField } from "@/components/ui/text-field";

type Open = "rename" | "delete" | null;

/** Rename and delete for one album; `afterDelete` lets the album page leave the deleted album. */
export function AlbumMenu({ id, name, afterDelete }: { id: string; name: string; afterDelete?: string }) {
  const router = useRouter();
  const [open, setOpen] = useState<Open>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const close = () => {
    setOpen(null);
    setError(null);
  };

  function rename(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next = String(new FormData(event.currentTarget).get("name") ?? "");
    startTransition(async () => {
      const result = await renameAlbum(id, next);
      if (!result.ok) return setError(result.message);
      close();
      router.refresh();
    });
  }

  function remove() {
    startTransition(async () => {
      const result = await deleteAlbum(id);
      if (!result.ok) return setError(result.message);
      close();
      if (afterDelete) router.replace(afterDelete);
      router.refresh();
    });
  }

  return (
    <div className="relative z-10 flex shrink-0 gap-1">
      <Button variant="ghost" className="min-h-8 px-2 py-1 text-xs" onClick={() => setOpen("rename")} aria-label={`Rename ${name}`}>
        Rename
      </Button>
      <Button variant="ghost" className="min-h-8 px-2 py-1 text-xs text-red-800" onClick={() => setOpen("delete")} aria-label={`Delete ${name}`}>
        Delete
      </Button>

      <Dialog open={open === "rename"} onClose={close} title="Rename album">
        <form onSubmit={rename} className="flex flex-col gap-4">
          <TextField label="Album name" name="name" defaultValue={name} required maxLength={200} autoFocus />
          {error && <Notice tone="error">{error}</Notice>}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={close}>Cancel</Button>
            <Button type="submit" disabled={pending}>{pending ? "Saving…" : "Save"}</Button>
          </div>
        </form>
      </Dialog>

      <Dialog open={open === "delete"} onClose={close} title="Delete album?">
        <p className="text-sm text-stone-700">
          “{name}” and all its photos will be deleted. This cannot be undone.
        </p>
        {error && <div className="mt-3"><Notice tone="error">{error}</Notice></div>}
        <div className="mt-4 flex justify-end gap-2">
          <Button variant="secondary" onClick={close}>Keep it</Button>
          <Button variant="danger" onClick={remove} disabled={pending}>{pending ? "Deleting…" : "Delete album"}</Button>
        </div>
      </Dialog>
    </div>
  );
}
