import Link from "next/link";
import type { AlbumCard } from "@/lib/albums";
import { formatDate, plural } from "@/lib/format";
import { formatDateSpan } from "@/lib/date-span";
import { StatusBadge } from "@/components/status-badge";
import { AlbumMenu } from "@/components/album-menu";

/** `locale`: the viewer's, for when the photos were taken (the upload date keeps the app's fixed format). */
export function AlbumGrid({ albums, locale }: { albums: AlbumCard[]; locale?: string }) {
  return (
    <ul className="grid grid-cols-1 gap-4 min-[480px]:grid-cols-2 md:grid-cols-3 lg:grid-cols-4" aria-label="Albums">
      {albums.map((album) => (
        <li key={album.id} className="group relative flex flex-col overflow-hidden rounded-xl border border-stone-200 bg-white shadow-sm">
          <div className="aspect-[4/3] bg-stone-200">
            {album.coverUrl ? (
              <img src={album.coverUrl} alt="" loading="lazy" decoding="async" className="h-full w-full object-cover" />
            ) : (
              <div className="flex h-full items-center justify-center text-sm text-stone-600">No photos yet</div>
            )}
          </div>
          <div className="flex flex-1 flex-col gap-1 p-3">
            <h2 className="break-words font-medium">
              {/* The link covers the whole card; the menu sits above it (z-10) so it stays clickable. */}
              <Link href={`/albums/${album.id}`} className="after:absolute after:inset-0 after:content-['']">
                {album.name}
              </Link>
            </h2>
            <p className="text-sm text-stone-700">
              {[plural(album.uploaded, "photo"), formatDateSpan(album.taken?.first, album.taken?.last, locale)].filter(Boolean).join(" · ")}
            </p>
            <p className="text-sm text-stone-700">
              Uploaded <time dateTime={album.created_at}>{formatDate(album.created_at)}</time>
            </p>
            <div className="mt-auto flex items-center justify-between gap-2 pt-1">
              {/* A stalled extraction needs the same zip again, like an interrupted one; its page says so. */}
              {album.deleting_at ? (
                // A deletion that stopped half-way; Delete finishes it (album-deletion.ts).
                <span className="inline-flex items-center rounded-full bg-stone-200 px-2.5 py-0.5 text-xs font-medium text-stone-900">Being deleted</span>
              ) : (
                <StatusBadge status={album.stalled ? "interrupted" : album.status} />
              )}
              <AlbumMenu id={album.id} name={album.name} />
            </div>
          </div>
        </li>
      ))}
    </ul>
  );
}
