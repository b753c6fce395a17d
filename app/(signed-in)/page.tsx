import { headers } from "next/headers";
import { requireUser } from "@/lib/auth";
import { localeFromAcceptLanguage } from "@/lib/accept-language";
import { listAlbums } from "@/lib/albums";
import { quotaSummary, quotaWarning, readAlbumQuota } from "@/lib/album-quota";
import { createClient } from "@/lib/supabase/server";
import { AlbumGrid } from "@/components/album-grid";
import { UploadPanel } from "@/components/upload-panel";
import { Notice } from "@/components/ui/notice";

export default async function AlbumsPage() {
  await requireUser();
  const supabase = await createClient();
  const [albums, quota, locale] = await Promise.all([
    listAlbums(supabase),
    readAlbumQuota(supabase),
    headers().then((h) => localeFromAcceptLanguage(h.get("accept-language"))),
  ]);
  const warning = quota && quotaWarning(quota);
  return (
    <div className="flex flex-col gap-8">
      <div className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Your albums</h1>
        {quota && albums.length > 0 && <p className="text-sm text-stone-700">{quotaSummary(quota)}</p>}
      </div>
      {warning && <Notice tone="warning">{warning}</Notice>}
      {albums.length === 0 && (
        <section aria-labelledby="empty-heading" className="rounded-xl bg-white p-6 text-center shadow-sm">
          <h2 id="empty-heading" className="text-lg font-semibold">No albums yet</h2>
          <p className="mt-1 text-stone-700">Drop a zip of photos below to make your first album.</p>
        </section>
      )}
      <UploadPanel title={albums.length === 0 ? "Upload your first zip" : "Add an album"} />
      {albums.length > 0 && <AlbumGrid albums={albums} locale={locale} />}
    </div>
  );
}
