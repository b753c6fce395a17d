import type { Metadata } from "next";
import { requireUser } from "@/lib/auth";
import Link from "next/link";
import { SaveAccountForm } from "@/components/save-account-form";
import { Notice } from "@/components/ui/notice";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage({ searchParams }: { searchParams: Promise<{ password?: string }> }) {
  const user = await requireUser();
  const { password } = await searchParams;
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
        <>
          <p className="mt-2 text-stone-700">
            Signed in as <span className="font-medium">{user.email}</span>.
          </p>
          {password === "changed" && (
            <div className="mt-4">
              <Notice tone="success">Your new password is saved.</Notice>
            </div>
          )}
          <p className="mt-4">
            <Link href="/account/password" className="text-sm text-blue-800 underline">
              Change password
            </Link>
          </p>
        </>
      )}
    </div>
  );
}
