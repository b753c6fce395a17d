-- record_entry_results adds what its batch changed to the album's counters instead of recounting every
-- entry of the album (refresh_album_counters) on each batch: a job writes a batch every 250 ms, so an
-- album of 50,000 photos meant thousands of scans of 50,000 rows each, which kept the database busier
-- than the uploads themselves (docs/architecture.md#entry-counters). The rows the batch may change are
-- locked and summed before and after the update; the difference is the change. Every other writer still
-- recomputes the counters whole, which also corrects them should they ever drift.
-- Same signature, row update and metadata columns as 20261203002000_photo_metadata.sql.
create or replace function public.record_entry_results(p_album uuid, p_results jsonb) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_idx int[];
  v_before record;
  v_after record;
begin
  select array_agg(distinct (x->>'idx')::int) into v_idx from jsonb_array_elements(p_results) x;
  perform 1 from public.album_entries e
    where e.album_id = p_album and e.idx = any(v_idx) and e.status <> 'uploaded'
    order by e.idx for update;
  select (count(*) filter (where e.status = 'uploaded'))::int as uploaded,
         (count(*) filter (where e.status = 'skipped'))::int as skipped,
         (count(*) filter (where e.status = 'failed'))::int as failed,
         coalesce(sum(e.size) filter (where e.status <> 'pending'), 0)::bigint as bytes_done,
         coalesce(sum(e.size), 0)::bigint as bytes_total
    into v_before
    from public.album_entries e where e.album_id = p_album and e.idx = any(v_idx);
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
  -- `idx = any(...)` lets the update find its rows by primary key instead of joining every entry of the album.
  where e.album_id = p_album and e.idx = any(v_idx) and e.idx = r.idx and e.status <> 'uploaded';
  select (count(*) filter (where e.status = 'uploaded'))::int as uploaded,
         (count(*) filter (where e.status = 'skipped'))::int as skipped,
         (count(*) filter (where e.status = 'failed'))::int as failed,
         coalesce(sum(e.size) filter (where e.status <> 'pending'), 0)::bigint as bytes_done,
         coalesce(sum(e.size), 0)::bigint as bytes_total
    into v_after
    from public.album_entries e where e.album_id = p_album and e.idx = any(v_idx);
  update public.albums a set
    uploaded = a.uploaded + (v_after.uploaded - v_before.uploaded),
    skipped = a.skipped + (v_after.skipped - v_before.skipped),
    failed = a.failed + (v_after.failed - v_before.failed),
    bytes_done = a.bytes_done + (v_after.bytes_done - v_before.bytes_done),
    bytes_total = a.bytes_total + (v_after.bytes_total - v_before.bytes_total)
  where a.id = p_album;
  return public.album_counters(p_album);
end
$$;
revoke all on function public.record_entry_results(uuid, jsonb) from public, anon, authenticated;
grant execute on function public.record_entry_results(uuid, jsonb) to service_role;
