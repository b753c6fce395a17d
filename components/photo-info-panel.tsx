import type { EntryView } from "@/lib/album-state";
import { formatBytes } from "@/lib/format";
import { cameraLabel, displayedPixelSize, formatPixelSize, formatTakenAt, takenAtSourceLabel } from "@/lib/photo-info";

export const PHOTO_INFO_ID = "photo-info";

/**
 * The lightbox's "Info": what Shoebox knows of the photo shown — when it was taken and how that is
 * known, the camera, its pixel size as displayed (after EXIF orientation), its file size and where it
 * sat in the archive. What extraction could not read says "Unknown" rather than disappearing.
 */
export function PhotoInfoPanel({ photo }: { photo: EntryView }) {
  const taken = formatTakenAt(photo.takenAt);
  const source = takenAtSourceLabel(photo.takenAtSource);
  const rows: [string, string | null][] = [
    ["Date taken", taken && (source ? `${taken} (${source})` : taken)],
    ["Camera", cameraLabel(photo.cameraMake, photo.cameraModel)],
    ["Pixel size", formatPixelSize(displayedPixelSize(photo.width, photo.height, photo.orientation))],
    ["File size", formatBytes(photo.size)],
    ["Path in the archive", photo.name],
  ];
  return (
    <aside id={PHOTO_INFO_ID} aria-label="Photo info" className="max-h-[45%] shrink-0 overflow-y-auto border-t border-stone-700 bg-stone-900 px-4 py-3 text-sm md:max-h-none md:w-80 md:border-l md:border-t-0">
      <h2 className="mb-2 font-medium">Info</h2>
      <dl className="grid gap-x-3 gap-y-2">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt className="text-stone-300">{label}</dt>
            <dd className={value ? "wrap-anywhere" : "text-stone-300"}>{value ?? "Unknown"}</dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}
