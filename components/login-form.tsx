"use client";

import { useState, type FormEvent } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { createClient } from "@/lib/supabase/client";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { TextField } from "@/components/ui/text-field";

type Mode = "sign-in" | "sign-up";

export function LoginForm() {
  const router = useRouter();
  const [mode, setMode] = useState<Mode>("sign-in");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<{ error: { message: string } | null }>) {
    setBusy(true);
    setError(null);
    const { error } = await action();
    if (error) {
      setError(error.message);
      setBusy(false);
      return;
    }
    // The albums live in another layout group, so the header there renders with the new session.
    router.replace("/");
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    const auth = createClient().auth;
    void run(() => (mode === "sign-in" ? auth.signInWithPassword({ email, password }) : auth.signUp({ email, password })));
  }

  return (
    <div className="mt-8 flex flex-col gap-6">
      <Button variant="primary" disabled={busy} onClick={() => void run(() => createClient().auth.signInAnonymously())}>
        Continue as a guest
      </Button>
      <p className="text-center text-xs text-stone-600">A guest can add an email and password later and keep every album.</p>

      <div className="flex items-center gap-3 text-xs uppercase tracking-wide text-stone-600" aria-hidden="true">
        <span className="h-px flex-1 bg-stone-300" /> or <span className="h-px flex-1 bg-stone-300" />
      </div>

      <form onSubmit={submit} className="flex flex-col gap-4 rounded-xl border border-stone-200 bg-white p-5" aria-labelledby="login-heading">
        <h2 id="login-heading" className="text-lg font-semibold">
          {mode === "sign-in" ? "Sign in with email" : "Create an account"}
        </h2>
        <TextField label="Email" name="email" type="email" autoComplete="email" required />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete={mode === "sign-in" ? "current-password" : "new-password"}
          minLength={6}
          required
          hint={mode === "sign-up" ? "At least 6 characters." : undefined}
        />
        {error && <Notice tone="error">{error}</Notice>}
        <Button type="submit" disabled={busy}>
          {mode === "sign-in" ? "Sign in" : "Create account"}
        </Button>
        {mode === "sign-in" && (
          <Link href="/login/forgot-password" className="text-center text-sm text-blue-800 underline">
            Forgot your password?
          </Link>
        )}
        <Button variant="ghost" onClick={() => { setMode(mode === "sign-in" ? "sign-up" : "sign-in"); setError(null); }}>
          {mode === "sign-in" ? "New here? Create an account" : "Already have an account? Sign in"}
        </Button>
      </form>
    </div>
  );
}
