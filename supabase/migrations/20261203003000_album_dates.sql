-- The span of dates an album's photos were taken over, for the home page's cards and the album header
-- (docs/architecture.md#photos-in-time-and-folders), without the app reading every row of every album.
--
-- Security invoker: it reads as the caller, so row level security on albums and album_entries gives a
-- signed-in user the spans of their own albums only. Each min and max is one step down the index
-- album_entries_taken_at (album_id, taken_at, idx), not a scan of the album's rows. Albums without a
-- dated photo get nulls. With p_album, only that album (the album page's header).
create function public.album_date_spans(p_album uuid default null)
returns table (album_id uuid, first_taken_at timestamptz, last_taken_at timestamptz)
language sql stable security invoker set search_path = '' as $$
  select a.id,
    (select min(e.taken_at) from public.album_entries e where e.album_id = a.id and e.status = 'uploaded'),
    (select max(e.taken_at) from public.album_entries e where e.album_id = a.id and e.status = 'uploaded')
  from public.albums a
  where p_album is null or a.id = p_album
$$;

revoke all on function public.album_date_spans(uuid) from public, anon;
grant execute on function public.album_date_spans(uuid) to authenticated;
