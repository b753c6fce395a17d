import { SiteHeader } from "@/components/site-header";

/**
 * Pages for a signed-in user. A layout of its own (not the root's) so that signing in, which moves
 * from /login into this group, renders the header afresh with the new session.
 */
export default function SignedInLayout({ children }: { children: React.ReactNode }) {
  return (
    <>
      <SiteHeader />
      <main id="main" className="mx-auto w-full max-w-6xl px-4 pb-16 pt-6 sm:px-6">
        {children}
      </main>
    </>
  );
}
