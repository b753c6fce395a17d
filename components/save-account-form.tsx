"use client";

import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { createClient } from "@/lib/supabase/client";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { TextField } from "@/components/ui/text-field";

/**
 * Turns a guest into a permanent user in place (same id), so their albums stay theirs. `onSaved`
 * replaces the default refresh, e.g. to sign out once the account is safe.
 */
export function SaveAccountForm({ submitLabel = "Save my account", onSaved }: { submitLabel?: string; onSaved?: () => void } = {}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    const { error } = await createClient().auth.updateUser({
      email: String(form.get("email") ?? "").trim(),
      password: String(form.get("password") ?? ""),
    });
    setBusy(false);
    if (error) return setError(error.message);
    if (onSaved) onSaved();
    else router.refresh();
  }

  return (
    <form onSubmit={submit} className="mt-6 flex flex-col gap-4 rounded-xl border border-stone-200 bg-white p-5">
      <TextField label="Email" name="email" type="email" autoComplete="email" required />
      <TextField label="Password" name="password" type="password" autoComplete="new-password" minLength={6} required hint="At least 6 characters." />
      {error && <Notice tone="error">{error}</Notice>}
      <Button type="submit" disabled={busy}>
        {submitLabel}
      </Button>
    </form>
  );
}
