import type { Metadata } from "next";
import { requireUser } from "@/lib/auth";
import { SaveAccountForm } from "@/components/save-account-form";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const user = await requireUser();
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-semibold tracking-tight">Account</h1>
      {user.is_anonymous ? (
        <>
          <p className="mt-2 text-stone-700">
            You are using Shoebox as a guest. Add an email and a password to sign in again later, from any
            device; your albums stay yours.
          </p>
          <SaveAccountForm />
        </>
      ) : (
        <p className="mt-2 text-stone-700">
          Signed in as <span className="font-medium">{user.email}</span>.
        </p>
      )}
    </div>
  );
}
