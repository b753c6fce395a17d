-- Photo metadata: when each photo was taken, its pixel size, EXIF orientation and camera, read by the
-- album-upload function from the first bytes of each photo while it extracts it (docs/architecture.md#photo-metadata).
-- Best effort: every column is nullable, and a photo whose metadata cannot be read is stored all the same.
--
-- taken_at        EXIF DateTimeOriginal (CreateDate when absent). EXIF dates carry no zone: with
--                 OffsetTimeOriginal the offset is applied, without it the wall-clock time is stored as UTC.
--                 A photo without a readable date gets its zip entry's own modification time instead.
-- taken_at_source 'exif' or 'archive' (the zip entry's modification time); null when neither is known.
-- width, height   pixel size as stored in the file, before orientation is applied.
-- orientation     EXIF Orientation 1–8 (6 and 8 are the quarter turns of a phone held upright).
alter table public.album_entries
  add column taken_at timestamptz,
  add column taken_at_source text check (taken_at_source in ('exif', 'archive')),
  add column width integer check (width > 0),
  add column height integer check (height > 0),
  add column orientation smallint check (orientation between 1 and 8),
  add column camera_make text,
  add column camera_model text;

-- The album grid reads photos by date taken; idx keeps the order stable among equal (or unknown) dates.
create index album_entries_taken_at on public.album_entries (album_id, taken_at, idx);

-- Owners already read every column of their entries (table-level select under the policy "Owners can
-- see their albums' entries"); only the service role writes, through record_entry_results, which now
-- stores the metadata on the same row update that records the photo as uploaded — no extra round trip
-- per photo. Values outside a column's range are dropped here too, so one odd EXIF block can never
-- fail the batch it is written in.
create or replace function public.record_entry_results(p_album uuid, p_results jsonb) returns jsonb
language plpgsql set search_path = '' as $$
begin
  update public.album_entries e
    set status = r.status, reason = r.reason, reason_code = r.reason_code, path = r.path,
        size = r.size, content_type = r.content_type,
        taken_at = r.taken_at,
        taken_at_source = case when r.taken_at is not null and r.taken_at_source in ('exif', 'archive') then r.taken_at_source end,
        width = case when r.width > 0 then r.width end,
        height = case when r.height > 0 then r.height end,
        orientation = case when r.orientation between 1 and 8 then r.orientation end,
        camera_make = left(nullif(r.camera_make, ''), 200),
        camera_model = left(nullif(r.camera_model, ''), 200)
  from jsonb_to_recordset(p_results)
    as r(idx int, status text, reason text, reason_code text, path text, size bigint, content_type text,
         taken_at timestamptz, taken_at_source text, width int, height int, orientation smallint,
         camera_make text, camera_model text)
  where e.album_id = p_album and e.idx = r.idx and e.status <> 'uploaded';
  perform public.refresh_album_counters(p_album);
  return public.album_counters(p_album);
end
$$;

revoke all on function public.record_entry_results(uuid, jsonb) from public, anon, authenticated;
grant execute on function public.record_entry_results(uuid, jsonb) to service_role;
