"use client";

import { useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { createClient } from "@/lib/supabase/client";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { TextField } from "@/components/ui/text-field";

/** Sets a new password for the signed-in user (after following a reset link, or any time). */
export function NewPasswordForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get("password") ?? "");
    setBusy(true);
    setError(null);
    const { error } = await createClient().auth.updateUser({ password });
    setBusy(false);
    if (error) return setError(error.message);
    router.replace("/account?password=changed");
  }

  return (
    <form onSubmit={submit} className="mt-6 flex flex-col gap-4 rounded-xl border border-stone-200 bg-white p-5">
      <TextField label="New password" name="password" type="password" autoComplete="new-password" minLength={6} required hint="At least 6 characters." />
      {error && <Notice tone="error">{error}</Notice>}
      <Button type="submit" disabled={busy}>
        Save new password
      </Button>
    </form>
  );
}
