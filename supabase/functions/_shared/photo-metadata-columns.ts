// The metadata columns of an album_entries row (migration 20261203002000_photo_metadata.sql;
// docs/architecture.md#photo-metadata). The function writes them and the app reads them: one definition
// for both, with no imports, so either runtime can take it.

/**
 * A photo's date taken, pixel size, orientation and camera, as its entry row holds them. A type, not an
 * interface: supabase-js's schema types need rows that are plain records.
 */
export type PhotoMetadataColumns = {
  /**
   * When the photo was taken, ISO 8601 in UTC: EXIF DateTimeOriginal (stored as UTC when the photo names
   * no offset), or the zip entry's modification time.
   */
  taken_at: string | null;
  /** Where taken_at came from: the photo's EXIF, or the zip entry's modification time ("archive"). */
  taken_at_source: "exif" | "archive" | null;
  /** Pixel size as stored in the file, before orientation is applied. */
  width: number | null;
  height: number | null;
  /** EXIF Orientation 1–8 (5–8 swap width and height on screen). */
  orientation: number | null;
  camera_make: string | null;
  camera_model: string | null;
};
