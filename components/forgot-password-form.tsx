"use client";

import { useState, type FormEvent } from "react";
import { createClient } from "@/lib/supabase/client";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { TextField } from "@/components/ui/text-field";

/** Where the mailed link lands: the callback exchanges its code, then the user picks a new password. */
export const RECOVERY_LANDING = "/auth/callback?next=/account/password";

/**
 * Asks Auth to mail a password-reset link. The answer is the same whether or not the address has an
 * account (Auth does not tell), so the confirmation says "if".
 */
export function ForgotPasswordForm() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "").trim();
    setBusy(true);
    setError(null);
    const { error } = await createClient().auth.resetPasswordForEmail(email, { redirectTo: `${window.location.origin}${RECOVERY_LANDING}` });
    setBusy(false);
    if (error) return setError(error.message);
    setSentTo(email);
  }

  if (sentTo) {
    return (
      <Notice tone="success" title="Check your email">
        If an account uses {sentTo}, a link to choose a new password is on its way. It works once, for an hour.
      </Notice>
    );
  }
  return (
    <form onSubmit={submit} className="mt-6 flex flex-col gap-4 rounded-xl border border-stone-200 bg-white p-5">
      <TextField label="Email" name="email" type="email" autoComplete="email" required />
      {error && <Notice tone="error">{error}</Notice>}
      <Button type="submit" disabled={busy}>
        Send me a link
      </Button>
    </form>
  );
}
