-- Shoebox's data model: albums, one row per archive entry, and the policies that protect them, the
-- private `photos` bucket and the private Realtime channel `album:<id>` (docs/architecture.md#data-model). Authorisation
-- lives here, in SQL, so every API — PostgREST, Storage, Realtime — asks Postgres the same question.

create table public.albums (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 200),
  status text not null default 'uploading'
    check (status in ('uploading', 'extracting', 'ready', 'partial', 'failed', 'interrupted', 'cancelled')),
  source_name text,
  source_bytes bigint,
  -- Size and central-directory hash of the archive being extracted: a resume must present the same one.
  source_fingerprint text,
  entries_total integer not null default 0,
  uploaded integer not null default 0,
  skipped integer not null default 0,
  failed integer not null default 0,
  bytes_done bigint not null default 0,
  bytes_total bigint not null default 0,
  error text,
  cover_path text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index albums_owner_created on public.albums (owner_id, created_at desc);

create table public.album_entries (
  album_id uuid not null references public.albums (id) on delete cascade,
  idx integer not null check (idx >= 0),
  name text not null,
  path text,
  size bigint not null default 0,
  content_type text,
  status text not null default 'pending' check (status in ('pending', 'uploaded', 'skipped', 'failed')),
  reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (album_id, idx),
  -- Nothing is lost silently: a skipped or failed entry always says why.
  constraint entry_reason_given check (status not in ('skipped', 'failed') or coalesce(reason, '') <> '')
);
create index album_entries_status on public.album_entries (album_id, status);
create unique index album_entries_path on public.album_entries (album_id, path) where path is not null;

create function public.touch_updated_at() returns trigger language plpgsql as $$
begin
  new.updated_at = now();
  return new;
end
$$;
create trigger albums_touch before update on public.albums
  for each row execute function public.touch_updated_at();
create trigger album_entries_touch before update on public.album_entries
  for each row execute function public.touch_updated_at();

-- Row-level security ------------------------------------------------------------------------------
alter table public.albums enable row level security;
alter table public.album_entries enable row level security;

-- People create albums, rename them and delete them; status and counters belong to the function
-- (service role), so only these columns are writable by signed-in users.
revoke insert, update on public.albums from anon, authenticated;
grant insert (name, source_name, source_bytes) on public.albums to authenticated;
grant update (name) on public.albums to authenticated;
revoke insert, update, delete on public.album_entries from anon, authenticated;

create policy "Owners can see their albums" on public.albums
  for select to authenticated using (owner_id = (select auth.uid()));
create policy "Signed-in users can create albums they own" on public.albums
  for insert to authenticated with check (owner_id = (select auth.uid()));
create policy "Owners can rename their albums" on public.albums
  for update to authenticated using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));
create policy "Owners can delete their albums" on public.albums
  for delete to authenticated using (owner_id = (select auth.uid()));

create policy "Owners can see their albums' entries" on public.album_entries
  for select to authenticated using (
    exists (select 1 from public.albums a where a.id = album_id and a.owner_id = (select auth.uid()))
  );

-- Storage: the private photos bucket --------------------------------------------------------------
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('photos', 'photos', false, 52428800, array['image/*'])
on conflict (id) do update
  set public = excluded.public,
      file_size_limit = excluded.file_size_limit,
      allowed_mime_types = excluded.allowed_mime_types;

-- Objects live under `<owner>/<album>/…`. Owners read and delete their own; only the service role writes.
create policy "Owners can read their photos" on storage.objects
  for select to authenticated using (
    bucket_id = 'photos' and (storage.foldername(name))[1] = (select auth.uid()::text)
  );
create policy "Owners can delete their photos" on storage.objects
  for delete to authenticated using (
    bucket_id = 'photos' and (storage.foldername(name))[1] = (select auth.uid()::text)
  );

-- Realtime: the private progress channel `album:<id>` -------------------------------------------
-- Only the album's owner may join (read); nobody but the service role may send (no insert policy).
create policy "Owners can receive their album's progress" on realtime.messages
  for select to authenticated using (
    realtime.messages.extension = 'broadcast'
    and exists (
      select 1 from public.albums a
      where 'album:' || a.id::text = (select realtime.topic())
        and a.owner_id = (select auth.uid())
    )
  );
