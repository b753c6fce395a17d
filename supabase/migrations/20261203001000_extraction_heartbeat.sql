-- A job killed without a word (the platform or its host stopped hard, a crash: no `beforeunload`) leaves
-- its album `extracting`. Hosted Edge Functions give no signal when a worker dies that way, so the only
-- faithful sign of life is the job's own: while it runs, it writes its album at least every 10 s
-- (extraction_heartbeat below; supabase/functions/album-upload/job.ts), whether or not a photo finished
-- meanwhile. An album unwritten for a minute therefore has no job behind it, and the same zip resumes it
-- (claim_album, record_archive) — a minute after the crash rather than the ten minutes it took when the
-- verdict had to wait for the longest a worker may live. lib/stalled-extraction.ts holds the same value
-- for the web app (its test compares the two).
create or replace function public.extraction_stale_after() returns interval
language sql immutable set search_path = '' as $$
  select interval '60 seconds'
$$;

-- The job's heartbeat: touches an `extracting` album (the albums_touch trigger stamps updated_at).
-- False when the album is not `extracting` any more (finished, interrupted, or gone).
create function public.extraction_heartbeat(p_album uuid) returns boolean
language plpgsql set search_path = '' as $$
begin
  update public.albums set status = status where id = p_album and status = 'extracting';
  return found;
end
$$;

revoke all on function public.extraction_heartbeat(uuid) from public, anon, authenticated;
grant execute on function public.extraction_heartbeat(uuid) to service_role;
