import Link from "next/link";
import { getCurrentUser } from "@/lib/auth";
import { signOut } from "@/lib/auth-actions";
import { buttonClasses } from "@/components/ui/button";
import { GuestSignOut } from "@/components/guest-sign-out";

export async function SiteHeader() {
  const user = await getCurrentUser();
  return (
    <header className="border-b border-stone-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-2 px-4 py-3 sm:px-6">
        <Link href="/" className="text-lg font-semibold tracking-tight text-stone-900">
          Shoebox
        </Link>
        {user && (
          <nav aria-label="Account" className="flex items-center gap-1 text-sm">
            <Link href="/account" className={buttonClasses("ghost", "max-w-[12rem] truncate")}>
              {user.is_anonymous ? "Guest · save account" : (user.email ?? "Account")}
            </Link>
            {user.is_anonymous ? (
              // A guest cannot sign back in: the button warns before anything is lost.
              <GuestSignOut />
            ) : (
              <form action={signOut}>
                <button type="submit" className={buttonClasses("ghost")}>
                  Sign out
                </button>
              </form>
            )}
          </nav>
        )}
      </div>
    </header>
  );
}
