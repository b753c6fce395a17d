"use client";

import { useState } from "react";
import { signOut } from "@/lib/auth-actions";
import { createClient } from "@/lib/supabase/client";
import { Button, buttonClasses } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { SaveAccountForm } from "@/components/save-account-form";

/**
 * Sign out for a guest. A guest has no email or password, so once signed out nobody can sign back in
 * to that account and its albums are out of reach for good: say so first, and offer to save an email
 * and a password, which keeps the same account (and every album) and then signs out as asked.
 */
export function GuestSignOut() {
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [albums, setAlbums] = useState<number | null>(null);

  async function ask() {
    setSaving(false);
    setOpen(true);
    const { count, error } = await createClient().from("albums").select("id", { count: "exact", head: true });
    setAlbums(error ? null : (count ?? 0));
  }

  return (
    <>
      <button type="button" className={buttonClasses("ghost")} onClick={() => void ask()}>
        Sign out
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title={saving ? "Save your account" : "Sign out of a guest account?"}>
        {saving ? (
          <>
            <p className="text-sm text-stone-700">Then sign in with this email and password, from any device, to find your albums again.</p>
            <SaveAccountForm submitLabel="Save and sign out" onSaved={() => void signOut()} />
          </>
        ) : (
          <>
            <p className="text-sm text-stone-700">{warning(albums)}</p>
            <div className="mt-5 flex flex-col gap-2 sm:flex-row-reverse sm:flex-wrap">
              <Button variant="primary" onClick={() => setSaving(true)}>
                Save my account first
              </Button>
              <form action={signOut}>
                <button type="submit" className={buttonClasses("danger", "w-full")}>
                  Sign out and lose them
                </button>
              </form>
              <Button variant="ghost" onClick={() => setOpen(false)}>
                Stay signed in
              </Button>
            </div>
          </>
        )}
      </Dialog>
    </>
  );
}

function warning(albums: number | null): string {
  const lost =
    albums === null || albums > 1
      ? `your${albums === null ? "" : ` ${albums}`} albums and their photos`
      : albums === 1
        ? "your album and its photos"
        : "anything you upload as this guest";
  return `You are using Shoebox as a guest, without an email or password. After you sign out nobody can sign back in to this account: ${lost} will be lost for good unless you save an email and a password first.`;
}
