-- The album-upload function's database side. Every write the extraction job makes goes through one of
-- these functions, and each recomputes the album's counters from its rows in the same transaction, so
-- `entries_total = uploaded + skipped + failed + pending` holds by construction (docs/architecture.md#nothing-is-lost-silently).
-- Only the service role may call them.

-- A machine-readable companion to `reason` (junk, not_photo, encrypted, too_large, …). It decides
-- whether a skipped entry makes the album `partial`: junk and non-photos do not, lost photos do.
alter table public.album_entries add column reason_code text;

create function public.album_counters(p_album uuid) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object(
    'total', a.entries_total, 'uploaded', a.uploaded, 'skipped', a.skipped, 'failed', a.failed,
    'bytesDone', a.bytes_done, 'bytesTotal', a.bytes_total, 'status', a.status)
  from public.albums a where a.id = p_album
$$;

create function public.refresh_album_counters(p_album uuid) returns void
language sql set search_path = '' as $$
  update public.albums a set
    entries_total = c.total, uploaded = c.uploaded, skipped = c.skipped, failed = c.failed,
    bytes_done = c.bytes_done, bytes_total = c.bytes_total
  from (
    select count(*)::int as total,
      (count(*) filter (where status = 'uploaded'))::int as uploaded,
      (count(*) filter (where status = 'skipped'))::int as skipped,
      (count(*) filter (where status = 'failed'))::int as failed,
      coalesce(sum(size) filter (where status <> 'pending'), 0)::bigint as bytes_done,
      coalesce(sum(size), 0)::bigint as bytes_total
    from public.album_entries where album_id = p_album
  ) c
  where a.id = p_album
$$;

-- Claims an album for extraction. Returns 'claimed', 'not_found', 'wrong_status' or 'different_archive'.
-- A resume (status `interrupted`, or a repeated request while `uploading`) must bring the same archive.
create function public.claim_album(p_album uuid, p_fingerprint text, p_bytes bigint) returns text
language plpgsql set search_path = '' as $$
declare
  v_album public.albums;
begin
  select * into v_album from public.albums where id = p_album for update;
  if not found then return 'not_found'; end if;
  if v_album.status not in ('uploading', 'interrupted') then return 'wrong_status'; end if;
  if v_album.source_fingerprint is not null and v_album.source_fingerprint <> p_fingerprint then
    return 'different_archive';
  end if;
  update public.albums
    set status = 'extracting', source_fingerprint = p_fingerprint, source_bytes = p_bytes, error = null
    where id = p_album;
  return 'claimed';
end
$$;

-- One row per archive entry; existing rows (a resume) are kept as they are.
create function public.insert_album_entries(p_album uuid, p_rows jsonb) returns jsonb
language plpgsql set search_path = '' as $$
begin
  insert into public.album_entries (album_id, idx, name, path, size, status, reason, reason_code)
  select p_album, r.idx, r.name, r.path, r.size, r.status, r.reason, r.reason_code
  from jsonb_to_recordset(p_rows) as r(idx int, name text, path text, size bigint, status text, reason text, reason_code text)
  on conflict (album_id, idx) do nothing;
  perform public.refresh_album_counters(p_album);
  return public.album_counters(p_album);
end
$$;

-- Results of extracted entries. An uploaded entry is final: a late or repeated result never downgrades it.
create function public.record_entry_results(p_album uuid, p_results jsonb) returns jsonb
language plpgsql set search_path = '' as $$
begin
  update public.album_entries e
    set status = r.status, reason = r.reason, reason_code = r.reason_code, path = r.path,
        size = r.size, content_type = r.content_type
  from jsonb_to_recordset(p_results)
    as r(idx int, status text, reason text, reason_code text, path text, size bigint, content_type text)
  where e.album_id = p_album and e.idx = r.idx and e.status <> 'uploaded';
  perform public.refresh_album_counters(p_album);
  return public.album_counters(p_album);
end
$$;

-- Indexes still to extract: pending ones and earlier failures (a resume retries those).
create function public.album_unfinished_entries(p_album uuid) returns int[]
language sql stable set search_path = '' as $$
  select coalesce(array_agg(idx order by idx), '{}')
  from public.album_entries where album_id = p_album and status in ('pending', 'failed')
$$;

-- Sets a phase (`interrupted`, `failed`, …) unless the album already reached a final state.
create function public.set_album_status(p_album uuid, p_status text, p_error text) returns jsonb
language plpgsql set search_path = '' as $$
begin
  update public.albums set status = p_status, error = p_error
    where id = p_album and status in ('uploading', 'extracting', 'interrupted');
  return public.album_counters(p_album);
end
$$;

-- Ends a job: anything still pending failed; `ready` unless a photo was lost (then `partial`, or
-- `failed` when nothing could be imported). Junk and non-photo files never degrade the album.
create function public.finish_album(p_album uuid) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_uploaded int;
  v_lost int;
  v_status text;
  v_error text;
begin
  update public.album_entries
    set status = 'failed', reason = 'not extracted: the job stopped before reaching this file', reason_code = 'not_extracted', path = null
    where album_id = p_album and status = 'pending';
  perform public.refresh_album_counters(p_album);
  select count(*) filter (where status = 'uploaded'),
         count(*) filter (where status = 'failed' or (status = 'skipped' and coalesce(reason_code, '') not in ('junk', 'not_photo', 'symlink', 'nested_archive')))
    into v_uploaded, v_lost
    from public.album_entries where album_id = p_album;
  if v_lost = 0 then
    v_status := 'ready';
  elsif v_uploaded > 0 then
    v_status := 'partial';
    v_error := format('%s of %s photos could not be imported; see each file for the reason.', v_lost, v_lost + v_uploaded);
  else
    v_status := 'failed';
    v_error := 'No photo could be imported; see each file for the reason.';
  end if;
  update public.albums set status = v_status, error = v_error
    where id = p_album and status in ('extracting', 'interrupted');
  return public.album_counters(p_album) || jsonb_build_object('error', v_error);
end
$$;

revoke all on function public.album_counters(uuid), public.refresh_album_counters(uuid),
  public.claim_album(uuid, text, bigint), public.insert_album_entries(uuid, jsonb),
  public.record_entry_results(uuid, jsonb), public.album_unfinished_entries(uuid),
  public.set_album_status(uuid, text, text), public.finish_album(uuid)
  from public, anon, authenticated;
grant execute on function public.album_counters(uuid), public.refresh_album_counters(uuid),
  public.claim_album(uuid, text, bigint), public.insert_album_entries(uuid, jsonb),
  public.record_entry_results(uuid, jsonb), public.album_unfinished_entries(uuid),
  public.set_album_status(uuid, text, text), public.finish_album(uuid)
  to service_role;
