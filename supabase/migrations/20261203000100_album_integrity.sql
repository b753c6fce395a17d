-- Album integrity: deleting an album while its photos are still being extracted leaves nothing behind;
-- per-user limits on albums and stored bytes; check constraints on every column a signed-in user may
-- write (the column grants of migration 20261127000000: albums.name, source_name, source_bytes).
-- See docs/architecture.md#deleting-an-album and docs/architecture.md#per-user-limits.

-- Deleting an album -------------------------------------------------------------------------------
-- Deletion happens in steps that cannot share one transaction (Storage objects are removed through the
-- Storage API, page by page), while extraction jobs — possibly several, on different workers — keep
-- writing. So deletion first marks the album in one SQL step (begin_album_deletion). From then on every
-- write a job makes to the album or its entries fails with SQLSTATE PT410 (HTTP 410 through PostgREST,
-- hint `album_deleting`): the job stops at its next database write and removes the photos it uploaded
-- that were not yet recorded. Photos recorded before the mark are listed and removed by whoever deletes
-- the album, who then deletes the row. A deletion that stopped half-way is finished by running it again.
alter table public.albums add column deleting_at timestamptz;

create function public.refuse_writes_to_deleting_album() returns trigger
language plpgsql set search_path = '' as $$
begin
  if old.deleting_at is not null then
    raise exception 'Album % is being deleted.', old.id
      using errcode = 'PT410', hint = 'album_deleting';
  end if;
  return new;
end
$$;
create trigger albums_refuse_writes_while_deleting before update on public.albums
  for each row execute function public.refuse_writes_to_deleting_album();

-- Entry writes of a job normally also touch the album row (its counters), but the entries are guarded
-- on their own so that no future write path can record photos into an album being deleted. One check
-- per statement (a job writes its results in batches), through the statement's transition table.
create function public.refuse_entry_writes_while_deleting() returns trigger
language plpgsql set search_path = '' as $$
declare
  v_album uuid;
begin
  select a.id into v_album from public.albums a
    where a.deleting_at is not null and a.id in (select c.album_id from changed_entries c)
    limit 1;
  if found then
    raise exception 'Album % is being deleted.', v_album
      using errcode = 'PT410', hint = 'album_deleting';
  end if;
  return null;
end
$$;
create trigger album_entries_refuse_inserts_while_deleting after insert on public.album_entries
  referencing new table as changed_entries
  for each statement execute function public.refuse_entry_writes_while_deleting();
create trigger album_entries_refuse_updates_while_deleting after update on public.album_entries
  referencing new table as changed_entries
  for each statement execute function public.refuse_entry_writes_while_deleting();

-- Marks the caller's album for deletion: 'deleting' (also when it already was: a retry), or 'not_found'
-- when there is no such album of theirs. The row lock orders the mark after any job write in progress.
create function public.begin_album_deletion(p_album uuid) returns text
language plpgsql security definer set search_path = '' as $$
declare
  v_owner uuid;
  v_deleting_at timestamptz;
begin
  select a.owner_id, a.deleting_at into v_owner, v_deleting_at from public.albums a where a.id = p_album for update;
  if not found or v_owner is distinct from (select auth.uid()) then return 'not_found'; end if;
  if v_deleting_at is null then
    update public.albums set deleting_at = now() where id = p_album;
  end if;
  return 'deleting';
end
$$;
revoke all on function public.begin_album_deletion(uuid) from public, anon;
grant execute on function public.begin_album_deletion(uuid) to authenticated;

-- The row goes last: only an album marked for deletion may be deleted by its owner (its photos are gone
-- by then), or one that never received an archive (no claim, so no job could have stored a photo).
drop policy "Owners can delete their albums" on public.albums;
create policy "Owners can delete their albums once marked for deletion" on public.albums
  for delete to authenticated using (
    owner_id = (select auth.uid())
    and (deleting_at is not null or (status = 'uploading' and source_fingerprint is null))
  );

-- Check constraints on what signed-in users write ------------------------------------------------
-- Rows written before these constraints existed are brought within them first, so the migration
-- applies to any existing project; nothing is deleted.
update public.albums set name = 'Untitled album' where name !~ '[^[:space:]]';
update public.albums set source_name = null where source_name = '';
update public.albums set source_name = left(source_name, 255) where char_length(source_name) > 255;
update public.albums set source_bytes = null where source_bytes < 0;
alter table public.albums
  add constraint albums_name_not_blank check (name ~ '[^[:space:]]'),
  add constraint albums_source_name_length check (char_length(source_name) between 1 and 255),
  add constraint albums_source_bytes_not_negative check (source_bytes >= 0);

-- Per-user limits -----------------------------------------------------------------------------------
-- One row of settings. A deployer changes them with SQL (dashboard SQL editor or psql), e.g.
--   update public.album_quota_settings set max_albums_per_user = 5000, max_bytes_per_user = 100 * 1024^3;
-- No API role can read or write the table.
create table public.album_quota_settings (
  singleton boolean primary key default true check (singleton),
  max_albums_per_user integer not null default 1000 check (max_albums_per_user > 0),
  max_bytes_per_user bigint not null default 21474836480 check (max_bytes_per_user > 0) -- 20 GiB
);
insert into public.album_quota_settings default values on conflict do nothing;
alter table public.album_quota_settings enable row level security;
revoke all on public.album_quota_settings from public, anon, authenticated;

-- Bytes Storage holds under a folder of the photos bucket (`<owner>` or `<owner>/<album>`): the truth
-- Storage bills, whatever the rows say. A literal prefix lets the planner use Storage's
-- `name text_pattern_ops` index.
create function public.photo_bytes_under(p_folder text) returns bigint
language plpgsql stable security definer set search_path = '' as $$
declare
  v_bytes bigint;
begin
  execute format(
    'select coalesce(sum((o.metadata ->> %L)::bigint), 0) from storage.objects o where o.bucket_id = %L and o.name like %L',
    'size', 'photos', p_folder || '/%')
    into v_bytes;
  return v_bytes;
end
$$;
revoke all on function public.photo_bytes_under(text) from public, anon, authenticated;

-- What a user holds: albums, and bytes — the photos stored under `<owner>/` plus what albums still being
-- filled have reserved (an album without entry rows yet reserves its archive's size, one with rows the
-- sizes of its entries still to extract). `p_except` leaves one album out of both, for the question
-- "may this album take N more bytes?".
create function public.album_quota_usage(p_owner uuid, p_except uuid default null)
returns table (albums integer, bytes bigint, max_albums integer, max_bytes bigint)
language plpgsql stable security definer set search_path = '' as $$
declare
  v_stored bigint;
  v_reserved bigint;
begin
  v_stored := public.photo_bytes_under(p_owner::text);
  if p_except is not null then
    v_stored := v_stored - public.photo_bytes_under(p_owner::text || '/' || p_except::text);
  end if;
  select coalesce(sum(case when a.entries_total = 0 then coalesce(a.source_bytes, 0)
                           else greatest(a.bytes_total - a.bytes_done, 0) end), 0)
    into v_reserved
    from public.albums a
    where a.owner_id = p_owner and a.deleting_at is null and a.id is distinct from p_except
      and a.status in ('uploading', 'extracting', 'interrupted');
  return query
    select (select count(*)::int from public.albums a where a.owner_id = p_owner and a.id is distinct from p_except),
           v_stored + v_reserved, s.max_albums_per_user, s.max_bytes_per_user
    from public.album_quota_settings s;
end
$$;
revoke all on function public.album_quota_usage(uuid, uuid) from public, anon, authenticated;
grant execute on function public.album_quota_usage(uuid, uuid) to service_role;

-- The signed-in user's own usage and limits, for the app to show.
create function public.my_album_quota()
returns table (albums integer, bytes bigint, max_albums integer, max_bytes bigint)
language sql stable security definer set search_path = '' as $$
  select * from public.album_quota_usage((select auth.uid()))
$$;
revoke all on function public.my_album_quota() from public, anon;
grant execute on function public.my_album_quota() to authenticated;

-- Bytes the owner of an album may still add to it: the limit minus everything they hold, this album's
-- stored photos included (its own reservation is what is being asked about). Null when the album does
-- not exist. The album-upload function may ask before receiving an archive.
create function public.album_upload_allowance(p_album uuid) returns bigint
language sql stable security definer set search_path = '' as $$
  select greatest(u.max_bytes - u.bytes - public.photo_bytes_under(a.owner_id::text || '/' || a.id::text), 0)
  from public.albums a, public.album_quota_usage(a.owner_id, a.id) u
  where a.id = p_album
$$;
revoke all on function public.album_upload_allowance(uuid) from public, anon, authenticated;
grant execute on function public.album_upload_allowance(uuid) to service_role;

-- Both limits are checked when an album is created: the count, and the archive size it declares
-- (source_bytes) against the bytes left. An advisory lock per owner serialises one user's inserts, so
-- a burst of parallel requests cannot all see room for one more. Errors carry SQLSTATE PT403 (HTTP 403
-- through PostgREST), a hint naming the limit (`album_limit`, `storage_quota`) and the figures as JSON.
create function public.enforce_album_quota() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_usage record;
begin
  perform pg_advisory_xact_lock(hashtextextended('shoebox.album_quota:' || new.owner_id::text, 0));
  select * into v_usage from public.album_quota_usage(new.owner_id);
  if v_usage.albums >= v_usage.max_albums then
    raise exception 'You have reached the limit of % albums. Delete albums you no longer need to make room for new ones.', v_usage.max_albums
      using errcode = 'PT403', hint = 'album_limit',
            detail = jsonb_build_object('albums', v_usage.albums, 'maxAlbums', v_usage.max_albums)::text;
  end if;
  if coalesce(new.source_bytes, 0) > 0 and v_usage.bytes + new.source_bytes > v_usage.max_bytes then
    raise exception 'This archive (%) does not fit in your storage: % of % is in use. Delete albums you no longer need, then try again.',
        pg_size_pretty(new.source_bytes), pg_size_pretty(v_usage.bytes), pg_size_pretty(v_usage.max_bytes)
      using errcode = 'PT403', hint = 'storage_quota',
            detail = jsonb_build_object('requested', new.source_bytes, 'used', v_usage.bytes, 'maxBytes', v_usage.max_bytes)::text;
  end if;
  return new;
end
$$;
revoke all on function public.enforce_album_quota() from public, anon, authenticated;
create trigger albums_enforce_quota before insert on public.albums
  for each row execute function public.enforce_album_quota();

-- An archive taken on by an existing album must fit too: what the owner holds elsewhere, plus this
-- album's stored photos, plus the archive. The album's own reservation is left out (it was made for this
-- very archive when the album was created), so nothing is counted twice.
create function public.assert_archive_fits(p_owner uuid, p_album uuid, p_bytes bigint) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_usage record;
  v_used bigint;
begin
  perform pg_advisory_xact_lock(hashtextextended('shoebox.album_quota:' || p_owner::text, 0));
  select * into v_usage from public.album_quota_usage(p_owner, p_album);
  v_used := v_usage.bytes + public.photo_bytes_under(p_owner::text || '/' || p_album::text);
  if v_used + p_bytes > v_usage.max_bytes then
    raise exception 'This archive (%) does not fit in your storage: % of % is in use. Delete albums you no longer need, then try again.',
        pg_size_pretty(p_bytes), pg_size_pretty(v_used), pg_size_pretty(v_usage.max_bytes)
      using errcode = 'PT403', hint = 'storage_quota',
            detail = jsonb_build_object('requested', p_bytes, 'used', v_used, 'maxBytes', v_usage.max_bytes)::text;
  end if;
end
$$;
revoke all on function public.assert_archive_fits(uuid, uuid, bigint) from public, anon, authenticated;

-- An archive recorded on an album (the segmented upload's directory request, before any of its data is
-- sent).
create function public.enforce_archive_quota() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_owner uuid;
begin
  select a.owner_id into v_owner from public.albums a where a.id = new.album_id;
  if v_owner is null then return new; end if; -- the foreign key reports it
  perform public.assert_archive_fits(v_owner, new.album_id, new.bytes);
  return new;
end
$$;
revoke all on function public.enforce_archive_quota() from public, anon, authenticated;
create trigger album_archives_enforce_quota before insert on public.album_archives
  for each row execute function public.enforce_archive_quota();

-- The size an album's archive really has, once the function knows it (claim_album for the single
-- request, record_archive for the first archive): an album created without declaring its archive's
-- size, or with a smaller one, cannot slip a larger archive past the limit. Signed-in users cannot
-- write source_bytes after the insert, so only these paths change it.
create function public.enforce_claimed_archive_quota() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform public.assert_archive_fits(new.owner_id, new.id, new.source_bytes);
  return new;
end
$$;
revoke all on function public.enforce_claimed_archive_quota() from public, anon, authenticated;
create trigger albums_enforce_quota_on_archive before update of source_bytes on public.albums
  for each row when (new.source_bytes > coalesce(old.source_bytes, 0))
  execute function public.enforce_claimed_archive_quota();
