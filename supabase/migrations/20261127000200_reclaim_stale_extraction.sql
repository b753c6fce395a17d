-- An `extracting` album whose worker died without a word — killed before `beforeunload` could record
-- `interrupted` (its grace period is short), a crash, a platform restart — would stay `extracting`
-- forever with no job behind it. This makes such an album resumable exactly like an `interrupted` one:
-- dropping the same archive again claims it (docs/architecture.md#resuming).
--
-- "Evidently dead" is decided from the album row alone. Every write of a job goes through the functions
-- of migration 20261127000100, and each one updates the album row — claim_album directly;
-- insert_album_entries and record_entry_results through refresh_album_counters, which updates the row
-- even when no counter changes; set_album_status and finish_album while the album is still in progress
-- — so the `albums_touch` trigger keeps `updated_at` at the job's last write. A worker lives at most as
-- long as the hosted wall clock allows (150 s Free, 400 s paid; docs/supabase-behaviour.md#function-limits — the local platform
-- enforces the same), and the claim itself is a write, so a job whose album has not been written for
-- longer than that has no worker left. A rename by the owner also refreshes `updated_at`; that only
-- postpones the verdict, never hastens it.

-- The longest any worker lives (400 s) plus margin. lib/stalled-extraction.ts holds the same value for
-- the web app (its test compares the two).
create function public.extraction_stale_after() returns interval
language sql immutable set search_path = '' as $$
  select interval '10 minutes'
$$;

-- Seconds until an `extracting` album's job counts as dead: 0 once it does, null when the album is not
-- `extracting` (or does not exist). The function asks before receiving an archive, so a live job is
-- refused at once with how long to wait rather than after hundreds of megabytes have been spooled.
create function public.extraction_stale_in(p_album uuid) returns integer
language sql stable set search_path = '' as $$
  select greatest(0, ceil(extract(epoch from a.updated_at + public.extraction_stale_after() - now())))::int
  from public.albums a
  where a.id = p_album and a.status = 'extracting'
$$;

-- Claims an album for extraction. Returns 'claimed', 'not_found', 'wrong_status' or 'different_archive'.
-- A resume (status `interrupted`, an `extracting` album whose job is evidently dead, or a repeated
-- request while `uploading`) must bring the same archive. The row lock makes the verdict and the claim
-- one step: of two requests racing for a dead job, the second finds a freshly written row and is refused.
create or replace function public.claim_album(p_album uuid, p_fingerprint text, p_bytes bigint) returns text
language plpgsql set search_path = '' as $$
declare
  v_album public.albums;
begin
  select * into v_album from public.albums where id = p_album for update;
  if not found then return 'not_found'; end if;
  if v_album.status = 'extracting' then
    if v_album.updated_at > now() - public.extraction_stale_after() then return 'wrong_status'; end if;
  elsif v_album.status not in ('uploading', 'interrupted') then
    return 'wrong_status';
  end if;
  if v_album.source_fingerprint is not null and v_album.source_fingerprint <> p_fingerprint then
    return 'different_archive';
  end if;
  update public.albums
    set status = 'extracting', source_fingerprint = p_fingerprint, source_bytes = p_bytes, error = null
    where id = p_album;
  return 'claimed';
end
$$;

revoke all on function public.extraction_stale_after(), public.extraction_stale_in(uuid)
  from public, anon, authenticated;
grant execute on function public.extraction_stale_after(), public.extraction_stale_in(uuid) to service_role;
