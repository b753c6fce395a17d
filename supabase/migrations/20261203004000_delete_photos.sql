-- Deleting photos from an album (docs/architecture.md#deleting-photos). A photo is a row in
-- album_entries and an object in the photos bucket; the two cannot change in one transaction (objects
-- are removed through the Storage API). So the rows go first, together with the album's counters and
-- a note of each object still to remove, in one SQL transaction (delete_album_photos); the app then
-- removes the objects and clears the notes. From the first step on no row points at a missing object,
-- so nothing shows as a broken image; an object left behind by a removal that failed stays noted, and
-- the next deletion (or a retry) removes it. The counters are recomputed from the remaining rows, as
-- every job write does, so `entries_total = uploaded + skipped + failed + pending` keeps holding.

-- Objects whose rows are gone and that Storage has not removed yet. Only the album's owner reads and
-- clears them; they go with the album.
create table public.photo_removals (
  album_id uuid not null references public.albums (id) on delete cascade,
  path text not null,
  created_at timestamptz not null default now(),
  primary key (album_id, path)
);
alter table public.photo_removals enable row level security;
revoke all on public.photo_removals from anon, authenticated;
grant select, delete on public.photo_removals to authenticated;
create policy "Owners can see their photos still to remove" on public.photo_removals
  for select to authenticated using (
    exists (select 1 from public.albums a where a.id = album_id and a.owner_id = (select auth.uid()))
  );
create policy "Owners can clear their photos once removed" on public.photo_removals
  for delete to authenticated using (
    exists (select 1 from public.albums a where a.id = album_id and a.owner_id = (select auth.uid()))
  );

-- Deletes the caller's photos `p_idx` (entries that were uploaded) from album `p_album`. Answers
--   {result: 'deleted', deleted, paths, counters}  paths: the objects to remove now (also noted above)
--   {result: 'not_found'}                          no such album of the caller's
--   {result: 'busy'}                               the album is still receiving or extracting photos,
--                                                  or is being deleted: try once it is done
-- Security definer because signed-in users may not write entries or counters (those columns belong to
-- the extraction job); the owner check below is the whole of its authorisation. The row lock orders it
-- with every job write (they lock the album row too), so no job can record into the album meanwhile.
create function public.delete_album_photos(p_album uuid, p_idx integer[]) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  v_album public.albums;
  v_paths text[];
begin
  select * into v_album from public.albums a where a.id = p_album for update;
  if not found or v_album.owner_id is distinct from (select auth.uid()) then
    return jsonb_build_object('result', 'not_found');
  end if;
  if v_album.deleting_at is not null or v_album.status in ('uploading', 'extracting', 'interrupted')
     or exists (select 1 from public.album_archives x where x.album_id = p_album and x.status = 'receiving') then
    return jsonb_build_object('result', 'busy');
  end if;
  with gone as (
    delete from public.album_entries e
      where e.album_id = p_album and e.idx = any (p_idx) and e.status = 'uploaded'
      returning e.path
  )
  select coalesce(array_agg(path order by path), '{}') into v_paths from gone where path is not null;
  insert into public.photo_removals (album_id, path)
    select p_album, p from unnest(v_paths) as p
    on conflict do nothing;
  perform public.refresh_album_counters(p_album);
  if v_album.cover_path = any (v_paths) then
    update public.albums set cover_path = null where id = p_album;
  end if;
  return jsonb_build_object('result', 'deleted', 'deleted', cardinality(v_paths), 'paths', to_jsonb(v_paths),
    'counters', public.album_counters(p_album));
end
$$;
revoke all on function public.delete_album_photos(uuid, integer[]) from public, anon;
grant execute on function public.delete_album_photos(uuid, integer[]) to authenticated;
