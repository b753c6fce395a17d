-- Segmented upload: an album holds one or more archives; each archive is recorded from its central
-- directory (one row per entry, as before) with a plan of byte-range segments, and every segment is
-- received and extracted by its own function invocation under a lease (docs/architecture.md#segmented-upload).
--
-- What stays true: `entries_total = uploaded + skipped + failed + pending` over the album's rows, kept
-- by refresh_album_counters after every write; the album becomes ready / partial / failed only when its
-- last segment is done; owners read everything about their albums, only the service role writes.

-- Archives ------------------------------------------------------------------------------------------
create table public.album_archives (
  id uuid primary key default gen_random_uuid(),
  album_id uuid not null references public.albums (id) on delete cascade,
  -- 1 for the album's first archive, 2 for the next one dropped on it, …
  ordinal integer not null check (ordinal >= 1),
  name text check (char_length(name) <= 255),
  -- `<bytes>:<sha-256 of the central directory>`, as supabase/functions/_shared/upload-protocol.ts computes it.
  fingerprint text not null check (fingerprint ~ '^[0-9]+:[0-9a-f]{64}$'),
  bytes bigint not null check (bytes >= 0),
  -- Entry i of the archive's directory is album_entries.idx = idx_base + i (folders keep their slot).
  idx_base integer not null check (idx_base >= 0),
  entry_count integer not null check (entry_count >= 0),
  -- Prepended to every object key of this archive, so two archives' `IMG_0001.jpg` never collide.
  key_prefix text not null default '',
  -- `receiving` until every segment is done.
  status text not null default 'receiving' check (status in ('receiving', 'done')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (album_id, fingerprint),
  unique (album_id, ordinal)
);
create index album_archives_fingerprint on public.album_archives (fingerprint);
create trigger album_archives_touch before update on public.album_archives
  for each row execute function public.touch_updated_at();

-- Segments ------------------------------------------------------------------------------------------
create table public.album_segments (
  archive_id uuid not null references public.album_archives (id) on delete cascade,
  idx integer not null check (idx >= 0),
  album_id uuid not null references public.albums (id) on delete cascade,
  -- The byte range [start_offset, end_offset) of the archive file: whole entries.
  start_offset bigint not null check (start_offset >= 0),
  end_offset bigint not null,
  entries integer not null check (entries >= 0),
  -- `done` once every entry in it has its outcome; never received again.
  status text not null default 'pending' check (status in ('pending', 'done')),
  -- Who holds the segment and until when: a live lease makes another request for it `busy`. A lease
  -- ends no later than its worker's wall clock, so a killed worker's segment can be sent again at once.
  lease_token text,
  lease_expires_at timestamptz,
  attempts integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (archive_id, idx),
  constraint segment_range check (end_offset > start_offset)
);
create index album_segments_album on public.album_segments (album_id, status);
create trigger album_segments_touch before update on public.album_segments
  for each row execute function public.touch_updated_at();

-- Entry rows: which archive and segment they belong to, and what the directory says about their bytes
-- (checked against each local header and against the data while extracting).
alter table public.album_entries
  add column archive_id uuid references public.album_archives (id) on delete cascade,
  add column segment integer,
  add column local_offset bigint,
  add column compressed_size bigint,
  add column crc32 bigint,
  add column method integer,
  add column flags integer;
create index album_entries_archive_segment on public.album_entries (archive_id, segment) where archive_id is not null;

-- Row-level security: owners read, only the service role writes ------------------------------------
alter table public.album_archives enable row level security;
alter table public.album_segments enable row level security;
revoke insert, update, delete on public.album_archives, public.album_segments from anon, authenticated;
create policy "Owners can see their albums' archives" on public.album_archives
  for select to authenticated using (
    exists (select 1 from public.albums a where a.id = album_id and a.owner_id = (select auth.uid()))
  );
create policy "Owners can see their albums' segments" on public.album_segments
  for select to authenticated using (
    exists (select 1 from public.albums a where a.id = album_id and a.owner_id = (select auth.uid()))
  );

-- Plans as the browser reads them -----------------------------------------------------------------
create function public.archive_plan(p_archive uuid) returns jsonb
language sql stable set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
      'index', s.idx, 'start', s.start_offset, 'end', s.end_offset, 'entries', s.entries,
      'status', case when s.status = 'done' then 'done'
                     when s.lease_expires_at > now() then 'busy' else 'pending' end,
      'busyForSeconds', case when s.status <> 'done' and s.lease_expires_at > now()
                             then ceil(extract(epoch from s.lease_expires_at - now()))::int end
    )) order by s.idx), '[]'::jsonb)
  from public.album_segments s where s.archive_id = p_archive
$$;

-- Records an archive on an album from its directory. Answers one of:
--   {result: 'created' | 'existing', archive, idx_base, key_prefix, rows, planned}
--   {result: 'not_found' | 'wrong_status' | 'already_imported' (album) | 'different_archive' | 'extraction_running' (done, total)}
-- `existing` is the same archive again (a resume): `rows` says how many of its entry rows are written,
-- `planned` whether its segments are. An album takes a new archive once the ones before are complete;
-- one with an archive still unfinished takes only that archive.
create function public.record_archive(p_album uuid, p_fingerprint text, p_bytes bigint, p_name text, p_entry_count integer)
returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_album public.albums;
  v_archive public.album_archives;
  v_other uuid;
  v_ordinal integer;
  v_base integer;
  v_has_rows boolean;
begin
  select * into v_album from public.albums where id = p_album for update;
  if not found then return jsonb_build_object('result', 'not_found'); end if;
  if v_album.status = 'cancelled' then return jsonb_build_object('result', 'wrong_status'); end if;
  select * into v_archive from public.album_archives where album_id = p_album and fingerprint = p_fingerprint;
  if found then
    return jsonb_build_object('result', 'existing', 'archive', v_archive.id, 'idx_base', v_archive.idx_base,
      'key_prefix', v_archive.key_prefix,
      'rows', (select count(*) from public.album_entries e where e.archive_id = v_archive.id),
      'planned', exists (select 1 from public.album_segments s where s.archive_id = v_archive.id)
        or v_archive.status = 'done');
  end if;
  -- The same zip already in another of the owner's albums (by segments, or by the single request).
  select x.album_id into v_other from public.album_archives x join public.albums a on a.id = x.album_id
    where x.fingerprint = p_fingerprint and a.owner_id = v_album.owner_id and a.id <> p_album and a.deleting_at is null
    limit 1;
  if v_other is null then
    select a.id into v_other from public.albums a
      where a.source_fingerprint = p_fingerprint and a.owner_id = v_album.owner_id and a.id <> p_album and a.deleting_at is null
      limit 1;
  end if;
  if v_other is not null then return jsonb_build_object('result', 'already_imported', 'album', v_other); end if;
  -- An archive of this album still unfinished: a live one is running, a stopped one waits for its zip.
  if exists (select 1 from public.album_archives x where x.album_id = p_album and x.status = 'receiving') then
    if exists (select 1 from public.album_segments s where s.album_id = p_album and s.status = 'pending' and s.lease_expires_at > now()) then
      return jsonb_build_object('result', 'extraction_running',
        'done', v_album.uploaded + v_album.skipped + v_album.failed, 'total', v_album.entries_total);
    end if;
    return jsonb_build_object('result', 'different_archive');
  end if;
  -- An album filled by the single request and not finished takes nothing else.
  if v_album.status in ('extracting', 'interrupted') or (v_album.status = 'uploading' and v_album.source_fingerprint is not null) then
    if v_album.status = 'extracting' and v_album.updated_at > now() - public.extraction_stale_after() then
      return jsonb_build_object('result', 'extraction_running',
        'done', v_album.uploaded + v_album.skipped + v_album.failed, 'total', v_album.entries_total);
    end if;
    return jsonb_build_object('result', 'different_archive');
  end if;
  select coalesce(max(x.ordinal), 0) + 1,
         greatest(coalesce(max(x.idx_base + x.entry_count), 0),
                  (select coalesce(max(e.idx) + 1, 0) from public.album_entries e where e.album_id = p_album))
    into v_ordinal, v_base
    from public.album_archives x where x.album_id = p_album;
  v_has_rows := v_base > 0 or v_album.source_fingerprint is not null;
  if v_has_rows and v_ordinal = 1 then v_ordinal := 2; end if; -- the single request's archive was the first
  insert into public.album_archives (album_id, ordinal, name, fingerprint, bytes, idx_base, entry_count, key_prefix)
    values (p_album, v_ordinal, left(p_name, 255), p_fingerprint, p_bytes, v_base, p_entry_count,
            case when v_has_rows then '@' || v_ordinal || '/' else '' end)
    returning * into v_archive;
  -- A finished album takes the new archive and is in progress again; a new one records its source.
  update public.albums
    set status = 'uploading', error = null,
        source_fingerprint = coalesce(source_fingerprint, p_fingerprint),
        source_bytes = coalesce(source_bytes, p_bytes),
        source_name = coalesce(source_name, left(nullif(p_name, ''), 255))
    where id = p_album;
  return jsonb_build_object('result', 'created', 'archive', v_archive.id, 'idx_base', v_archive.idx_base,
    'key_prefix', v_archive.key_prefix, 'rows', 0, 'planned', false);
end
$$;

-- One batch of an archive's entry rows; rows already there (a resume) are kept as they are.
create function public.insert_archive_entries(p_archive uuid, p_rows jsonb) returns void
language plpgsql set search_path = '' as $$
declare
  v_album uuid;
begin
  select album_id into v_album from public.album_archives where id = p_archive;
  if v_album is null then raise exception 'no archive %', p_archive; end if;
  insert into public.album_entries (album_id, archive_id, idx, name, path, size, status, reason, reason_code,
                                    segment, local_offset, compressed_size, crc32, method, flags)
  select v_album, p_archive, r.idx, r.name, r.path, r.size, r.status, r.reason, r.reason_code,
         r.segment, r.local_offset, r.compressed_size, r.crc32, r.method, r.flags
  from jsonb_to_recordset(p_rows) as r(idx int, name text, path text, size bigint, status text, reason text,
    reason_code text, segment int, local_offset bigint, compressed_size bigint, crc32 bigint, method int, flags int)
  on conflict (album_id, idx) do nothing;
  perform public.refresh_album_counters(v_album);
end
$$;

-- Writes an archive's segments (once) and answers the plan as recorded. The rows come after (they name
-- their segment); an archive with nothing to extract is then ended by finish_archive_if_done.
create function public.write_archive_plan(p_archive uuid, p_segments jsonb) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_album uuid;
begin
  select album_id into v_album from public.album_archives where id = p_archive for update;
  if v_album is null then raise exception 'no archive %', p_archive; end if;
  insert into public.album_segments (archive_id, idx, album_id, start_offset, end_offset, entries)
  select p_archive, s.index, v_album, s.start, s."end", s.entries
  from jsonb_to_recordset(p_segments) as s(index int, start bigint, "end" bigint, entries int)
  on conflict (archive_id, idx) do nothing;
  return public.archive_plan(p_archive);
end
$$;

-- When no segment of the archive is left: the archive is done; when no archive of the album is left
-- either, the album ends (finish_album: ready, partial or failed). Answers whether the album ended.
create function public.finish_archive_if_done(p_archive uuid) returns boolean
language plpgsql set search_path = '' as $$
declare
  v_album uuid;
begin
  select album_id into v_album from public.album_archives where id = p_archive;
  if exists (select 1 from public.album_segments where archive_id = p_archive and status = 'pending') then
    perform public.refresh_album_counters(v_album);
    return false;
  end if;
  update public.album_archives set status = 'done' where id = p_archive and status <> 'done';
  if exists (select 1 from public.album_archives where album_id = v_album and status = 'receiving') then
    perform public.refresh_album_counters(v_album);
    return false;
  end if;
  -- finish_album ends only albums in progress; a new archive's album is `uploading` until its first segment.
  update public.albums set status = 'extracting' where id = v_album and status = 'uploading';
  perform public.finish_album(v_album);
  return true;
end
$$;

-- Claims a segment for one worker until `p_lease_seconds` from now (its wall clock's end at the latest).
-- Answers {result: 'claimed' | 'done' | 'busy' (busy_for) | 'unknown' | 'archive_mismatch', start, end,
-- entries, idx_base, key_prefix}. A claim puts the album in `extracting`.
create function public.claim_segment(p_album uuid, p_archive uuid, p_segment integer, p_token text, p_lease_seconds integer)
returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_archive public.album_archives;
  v_segment public.album_segments;
begin
  select * into v_archive from public.album_archives where id = p_archive;
  if not found then return jsonb_build_object('result', 'unknown'); end if;
  if v_archive.album_id <> p_album then return jsonb_build_object('result', 'archive_mismatch'); end if;
  select * into v_segment from public.album_segments where archive_id = p_archive and idx = p_segment for update;
  if not found then return jsonb_build_object('result', 'unknown'); end if;
  if v_segment.status = 'done' then return jsonb_build_object('result', 'done'); end if;
  if v_segment.lease_expires_at > now() and v_segment.lease_token is distinct from p_token then
    return jsonb_build_object('result', 'busy', 'busy_for', ceil(extract(epoch from v_segment.lease_expires_at - now()))::int);
  end if;
  update public.album_segments
    set lease_token = p_token, lease_expires_at = now() + make_interval(secs => greatest(p_lease_seconds, 1)),
        attempts = attempts + 1
    where archive_id = p_archive and idx = p_segment;
  update public.albums set status = 'extracting', error = null
    where id = p_album and status in ('uploading', 'interrupted', 'extracting');
  return jsonb_build_object('result', 'claimed', 'start', v_segment.start_offset, 'end', v_segment.end_offset,
    'entries', v_segment.entries, 'idx_base', v_archive.idx_base, 'key_prefix', v_archive.key_prefix);
end
$$;

-- Extends a held lease (never past `p_lease_seconds` from now); false when the lease is no longer ours.
create function public.renew_segment_lease(p_archive uuid, p_segment integer, p_token text, p_lease_seconds integer)
returns boolean
language plpgsql set search_path = '' as $$
begin
  update public.album_segments set lease_expires_at = now() + make_interval(secs => greatest(p_lease_seconds, 1))
    where archive_id = p_archive and idx = p_segment and lease_token = p_token and status = 'pending';
  return found;
end
$$;

-- The entries a claimed segment extracts: pending ones, and those whose upload failed before.
create function public.segment_entries(p_archive uuid, p_segment integer) returns jsonb
language sql stable set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object(
      'idx', e.idx, 'name', e.name, 'path', e.path, 'size', e.size, 'offset', e.local_offset,
      'compressedSize', e.compressed_size, 'crc32', e.crc32, 'method', e.method, 'flags', e.flags
    ) order by e.local_offset), '[]'::jsonb)
  from public.album_entries e
  where e.archive_id = p_archive and e.segment = p_segment
    and (e.status = 'pending' or (e.status = 'failed' and e.reason_code = 'upload_failed'))
$$;

-- Lets go of a lease without finishing (the worker is stopping, or the body never fully arrived).
-- With a reason, the album becomes `interrupted` with it, unless another worker is still extracting.
-- Answers the album's counters (its status included), or null when the lease was not ours.
create function public.release_segment(p_archive uuid, p_segment integer, p_token text, p_reason text) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_album uuid;
begin
  update public.album_segments set lease_token = null, lease_expires_at = null
    where archive_id = p_archive and idx = p_segment and lease_token = p_token
    returning album_id into v_album;
  if v_album is null then return null; end if;
  if p_reason is not null and not exists (select 1 from public.album_segments s
                 where s.album_id = v_album and s.status = 'pending' and s.lease_expires_at > now()) then
    update public.albums set status = 'interrupted', error = p_reason
      where id = v_album and status in ('uploading', 'extracting');
  end if;
  return public.album_counters(v_album);
end
$$;

-- Ends a segment whose extraction ran to its end: anything in it still pending was not reached and is
-- failed with a reason, the segment is done, and the archive and album end when it was their last.
-- Answers the album's counters, its error and whether it ended; null when the lease was not ours.
create function public.finish_segment(p_archive uuid, p_segment integer, p_token text) returns jsonb
language plpgsql set search_path = '' as $$
declare
  v_album uuid;
  v_ended boolean;
begin
  update public.album_segments set status = 'done', lease_token = null, lease_expires_at = null
    where archive_id = p_archive and idx = p_segment and lease_token = p_token and status = 'pending'
    returning album_id into v_album;
  if v_album is null then return null; end if;
  update public.album_entries
    set status = 'failed', reason = 'not extracted: its data was not where the archive says', reason_code = 'not_extracted', path = null
    where archive_id = p_archive and segment = p_segment and status = 'pending';
  v_ended := public.finish_archive_if_done(p_archive);
  return public.album_counters(v_album)
    || jsonb_build_object('error', (select error from public.albums where id = v_album), 'ended', v_ended);
end
$$;

-- The browser left while segments were still to send (pagehide): the album waits for the same zip.
create function public.leave_album_upload(p_album uuid, p_reason text) returns jsonb
language plpgsql set search_path = '' as $$
begin
  update public.albums set status = 'interrupted', error = p_reason
    where id = p_album and status in ('uploading', 'extracting')
      and exists (select 1 from public.album_archives x where x.album_id = p_album and x.status = 'receiving');
  return public.album_counters(p_album);
end
$$;

revoke all on function public.archive_plan(uuid), public.record_archive(uuid, text, bigint, text, integer),
  public.insert_archive_entries(uuid, jsonb), public.write_archive_plan(uuid, jsonb),
  public.finish_archive_if_done(uuid), public.claim_segment(uuid, uuid, integer, text, integer),
  public.renew_segment_lease(uuid, integer, text, integer), public.segment_entries(uuid, integer),
  public.release_segment(uuid, integer, text, text), public.finish_segment(uuid, integer, text),
  public.leave_album_upload(uuid, text)
  from public, anon, authenticated;
grant execute on function public.archive_plan(uuid), public.record_archive(uuid, text, bigint, text, integer),
  public.insert_archive_entries(uuid, jsonb), public.write_archive_plan(uuid, jsonb),
  public.finish_archive_if_done(uuid), public.claim_segment(uuid, uuid, integer, text, integer),
  public.renew_segment_lease(uuid, integer, text, integer), public.segment_entries(uuid, integer),
  public.release_segment(uuid, integer, text, text), public.finish_segment(uuid, integer, text),
  public.leave_album_upload(uuid, text)
  to service_role;
