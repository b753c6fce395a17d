import type { Metadata } from "next";
import Link from "next/link";
import { ForgotPasswordForm } from "@/components/forgot-password-form";
import { Notice } from "@/components/ui/notice";

export const metadata: Metadata = { title: "Forgot password" };

export default async function ForgotPasswordPage({ searchParams }: { searchParams: Promise<{ expired?: string }> }) {
  const { expired } = await searchParams;
  return (
    <div className="mx-auto max-w-sm pt-6 sm:pt-12">
      <h1 className="text-2xl font-semibold tracking-tight">Forgot your password?</h1>
      <p className="mt-2 text-stone-700">Enter the email you signed up with and we will mail you a link to choose a new one.</p>
      {expired && (
        <div className="mt-4">
          <Notice tone="warning" title="That link no longer works">
            Reset links work once and expire after an hour. Ask for a new one below.
          </Notice>
        </div>
      )}
      <ForgotPasswordForm />
      <p className="mt-6 text-center text-sm">
        <Link href="/login" className="text-blue-800 underline">
          Back to sign in
        </Link>
      </p>
    </div>
  );
}
