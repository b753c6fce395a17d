import type { Metadata } from "next";
import Link from "next/link";
import { cache } from "react";
import { notFound } from "next/navigation";
import { headers } from "next/headers";
import { requireUser } from "@/lib/auth";
import { getAlbum } from "@/lib/albums";
import { albumDateSpans } from "@/lib/album-dates";
import { localeFromAcceptLanguage } from "@/lib/accept-language";
import { formatDateSpan } from "@/lib/date-span";
import { formatBytes, formatDate } from "@/lib/format";
import { createClient } from "@/lib/supabase/server";
import { isUuid } from "@/lib/uuid";
import { AlbumLive } from "@/components/album-live";
import { AlbumMenu } from "@/components/album-menu";
import { Notice } from "@/components/ui/notice";

/** One read per request, shared by the metadata and the page. */
const findAlbum = cache(async (id: string) => (isUuid(id) ? getAlbum(await createClient(), id) : null));

export async function generateMetadata({ params }: PageProps<"/albums/[id]">): Promise<Metadata> {
  const album = await findAlbum((await params).id).catch(() => null);
  return { title: album?.name ?? "Album" };
}

async function load(id: string) {
  await requireUser();
  // RLS returns nothing for someone else's album, so "not yours" and "does not exist" look the same.
  return (await findAlbum(id)) ?? notFound();
}

export default async function AlbumPage({ params }: PageProps<"/albums/[id]">) {
  const album = await load((await params).id);
  const [spans, requestHeaders] = await Promise.all([albumDateSpans(await createClient(), album.id), headers()]);
  const taken = spans.get(album.id);
  // When the photos were taken, in the viewer's locale; the upload date keeps the app's fixed format.
  const span = formatDateSpan(taken?.first, taken?.last, localeFromAcceptLanguage(requestHeaders.get("accept-language")));
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-2">
        <Link href="/" className="text-sm text-blue-800 underline">
          ← All albums
        </Link>
        <div className="flex flex-wrap items-start justify-between gap-2">
          <h1 className="min-w-0 break-words text-2xl font-semibold tracking-tight">{album.name}</h1>
          <AlbumMenu id={album.id} name={album.name} afterDelete="/" />
        </div>
        {span && <p className="text-stone-900">Taken {span}</p>}
        <p className="text-sm text-stone-700">
          {album.source_name ?? "Archive"}
          {album.source_bytes ? ` · ${formatBytes(Number(album.source_bytes))}` : ""} · Uploaded{" "}
          <time dateTime={album.created_at}>{formatDate(album.created_at)}</time>
        </p>
      </div>
      {album.deleting_at && (
        // A deletion that stopped half-way (album-deletion.ts): running it again finishes it.
        <Notice tone="warning" title="This album is being deleted">
          Its deletion did not finish. Choose Delete again to remove the rest of its photos and the album.
        </Notice>
      )}
      {/* key: a fresh live view (and subscription) per album when navigating between albums. */}
      <AlbumLive key={album.id} album={album} />
    </div>
  );
}
