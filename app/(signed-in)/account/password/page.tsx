import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth";
import { NewPasswordForm } from "@/components/new-password-form";

export const metadata: Metadata = { title: "Choose a new password" };

export default async function NewPasswordPage() {
  const user = await requireUser();
  // A guest has no password to change; saving an account is how a guest gets one.
  if (user.is_anonymous) redirect("/account");
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-semibold tracking-tight">Choose a new password</h1>
      <p className="mt-2 text-stone-700">
        For <span className="font-medium">{user.email}</span>. You will sign in with it from now on.
      </p>
      <NewPasswordForm />
    </div>
  );
}
