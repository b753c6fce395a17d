import { SiteHeader } from "@/components/site-header";
import { UploadQueueProvider } from "@/components/upload-queue-provider";

/**
 * Pages for a signed-in user. A layout of its own (not the root's) so that signing in, which moves
 * from /login into this group, renders the header afresh with the new session.
 */
export default function SignedInLayout({ children }: { children: React.ReactNode }) {
  return (
    // The upload queue sits above the pages, so moving between them never aborts an upload.
    <UploadQueueProvider>
      <SiteHeader />
      <main id="main" className="mx-auto w-full max-w-6xl px-4 pb-16 pt-6 sm:px-6">
        {children}
      </main>
    </UploadQueueProvider>
  );
}
