import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth";
import { LoginForm } from "@/components/login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage() {
  if (await getCurrentUser()) redirect("/");
  return (
    <div className="mx-auto max-w-sm pt-6 sm:pt-12">
      <h1 className="text-2xl font-semibold tracking-tight">Welcome to Shoebox</h1>
      <p className="mt-2 text-stone-700">Drop a zip of photos and get an album you can browse.</p>
      <LoginForm />
    </div>
  );
}
