-- What a hosted Supabase database provides before any user migration runs: the API roles, the
-- auth/storage/realtime schemas with the tables and helper functions that policies use. Kept to the
-- shapes of docs/supabase-behaviour.md#database-roles, #storage-schema, #sessions-and-users, #request-role-and-claims and #private-channels so the same migrations run here and hosted.

create role anon nologin noinherit;
create role authenticated nologin noinherit;
create role service_role nologin noinherit bypassrls;
create role authenticator noinherit login;
grant anon, authenticated, service_role to authenticator;
create role supabase_storage_admin nologin noinherit bypassrls;
create role supabase_realtime_admin nologin noinherit bypassrls;

create schema if not exists extensions;
grant usage on schema public, extensions to anon, authenticated, service_role;
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;

-- auth -------------------------------------------------------------------------------------------
create schema auth;
grant usage on schema auth to anon, authenticated, service_role;

create table auth.users (
  instance_id uuid,
  id uuid primary key default gen_random_uuid(),
  aud text default 'authenticated',
  role text default 'authenticated',
  email text,
  encrypted_password text,
  email_confirmed_at timestamptz,
  phone text,
  raw_app_meta_data jsonb not null default '{}',
  raw_user_meta_data jsonb not null default '{}',
  is_anonymous boolean not null default false,
  last_sign_in_at timestamptz,
  banned_until timestamptz,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index users_email_partial_key on auth.users (lower(email)) where email is not null and email <> '';

create table auth.identities (
  id uuid primary key default gen_random_uuid(),
  provider_id text not null,
  user_id uuid not null references auth.users (id) on delete cascade,
  identity_data jsonb not null,
  provider text not null,
  email text generated always as (lower(identity_data ->> 'email')) stored,
  last_sign_in_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (provider_id, provider)
);

create table auth.sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  aal text not null default 'aal1',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table auth.refresh_tokens (
  id bigserial primary key,
  token text not null unique,
  user_id uuid not null references auth.users (id) on delete cascade,
  session_id uuid not null references auth.sessions (id) on delete cascade,
  parent text,
  revoked boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create function auth.uid() returns uuid language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;
create function auth.role() returns text language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;
create function auth.email() returns text language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  )::text
$$;
create function auth.jwt() returns jsonb language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;
grant execute on all functions in schema auth to anon, authenticated, service_role;
-- Hosted lets service_role read auth.users (dashboards, admin queries); policies may reference it.
grant select on auth.users to service_role;

-- storage ----------------------------------------------------------------------------------------
create schema storage;
grant usage on schema storage to anon, authenticated, service_role;

create type storage."BucketType" as enum ('STANDARD', 'ANALYTICS');

create table storage.buckets (
  id text primary key,
  name text not null,
  owner uuid,
  owner_id text,
  public boolean default false,
  avif_autodetection boolean default false,
  file_size_limit bigint,
  allowed_mime_types text[],
  type storage."BucketType" not null default 'STANDARD',
  created_at timestamptz default now(),
  updated_at timestamptz default now()
);
create unique index bname on storage.buckets (name);

create table storage.objects (
  id uuid primary key default gen_random_uuid(),
  bucket_id text references storage.buckets (id),
  name text,
  owner uuid,
  owner_id text,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  last_accessed_at timestamptz default now(),
  metadata jsonb,
  path_tokens text[] generated always as (string_to_array(name, '/')) stored,
  version text,
  user_metadata jsonb
);
create unique index bucketid_objname on storage.objects (bucket_id, name);
create index name_prefix_search on storage.objects (name text_pattern_ops);

alter table storage.buckets enable row level security;
alter table storage.objects enable row level security;
grant all on storage.buckets, storage.objects to anon, authenticated, service_role;

create function storage.foldername(name text) returns text[] language plpgsql immutable as $$
declare _parts text[];
begin
  select string_to_array(name, '/') into _parts;
  return _parts[1 : array_length(_parts, 1) - 1];
end
$$;
create function storage.filename(name text) returns text language plpgsql immutable as $$
declare _parts text[];
begin
  select string_to_array(name, '/') into _parts;
  return _parts[array_length(_parts, 1)];
end
$$;
create function storage.extension(name text) returns text language plpgsql immutable as $$
declare _parts text[]; _filename text;
begin
  select string_to_array(name, '/') into _parts;
  select _parts[array_length(_parts, 1)] into _filename;
  return reverse(split_part(reverse(_filename), '.', 1));
end
$$;

-- Direct deletes are refused unless the Storage API marks its own transaction (docs/supabase-behaviour.md#storage-authorisation).
create function storage.protect_delete() returns trigger language plpgsql as $$
begin
  if coalesce(current_setting('storage.allow_delete_query', true), 'false') <> 'true' then
    raise exception 'Direct deletion from storage tables is not allowed. Use the Storage API instead.'
      using errcode = '42501', hint = 'This prevents accidental data loss from orphaned objects.';
  end if;
  return null;
end
$$;
create trigger protect_buckets_delete before delete on storage.buckets
  for each statement execute function storage.protect_delete();
create trigger protect_objects_delete before delete on storage.objects
  for each statement execute function storage.protect_delete();

create function storage.update_updated_at_column() returns trigger language plpgsql as $$
begin
  new.updated_at = now();
  return new;
end
$$;
create trigger update_objects_updated_at before update on storage.objects
  for each row execute function storage.update_updated_at_column();
grant execute on all functions in schema storage to anon, authenticated, service_role;

-- realtime ---------------------------------------------------------------------------------------
create schema realtime;
grant usage on schema realtime to anon, authenticated, service_role;

create table realtime.messages (
  id uuid primary key default gen_random_uuid(),
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  binary_payload bytea,
  updated_at timestamp not null default now(),
  inserted_at timestamp not null default now()
);
alter table realtime.messages enable row level security;
grant select, insert, update on realtime.messages to anon, authenticated, service_role;

create function realtime.topic() returns text language sql stable as $$
  select nullif(current_setting('realtime.topic', true), '')::text
$$;

-- realtime.send (docs/supabase-behaviour.md#rest-broadcast): the row is the record; the notification lets the realtime service deliver it.
create function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void language plpgsql security definer as $$
begin
  insert into realtime.messages (payload, event, topic, private, extension)
  values (payload, event, topic, private, 'broadcast');
  perform pg_notify('realtime_send', json_build_object(
    'topic', topic, 'event', event, 'payload', payload, 'private', private)::text);
end
$$;
grant execute on all functions in schema realtime to anon, authenticated, service_role;

-- migrations ledger, as the CLI keeps it ---------------------------------------------------------
create schema supabase_migrations;
create table supabase_migrations.schema_migrations (
  version text primary key,
  statements text[],
  name text
);

-- auth service additions (hosted GoTrue shapes) ------------------------------------------------------
-- How each session was signed in: the access token's `amr` claim is rebuilt from it on every refresh
-- (docs/supabase-behaviour.md#access-tokens).
create table auth.mfa_amr_claims (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null references auth.sessions (id) on delete cascade,
  authentication_method text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (session_id, authentication_method)
);
alter table auth.sessions add column refreshed_at timestamp, add column user_agent text;
create index refresh_tokens_session_id_revoked_idx on auth.refresh_tokens (session_id, revoked);
create index refresh_tokens_parent_idx on auth.refresh_tokens (parent);
-- A permanent user's email change waits for confirmation, as hosted (the local platform sends no mail).
alter table auth.users add column email_change text default '', add column email_change_sent_at timestamptz;

-- storage: list ------------------------------------------------------------------------------------
-- What `POST /object/list/{bucket}` runs (docs/supabase-behaviour.md#listing, #storage-schema), with
-- storage-api's semantics: one folder level under `prefix` (which ends in '/' or is empty), names
-- relative to it, one row per sub-folder with null id and metadata. By name: `prefix || search` matches
-- case-insensitively, entries sort by lower-cased key with a folder where its members sort (`a.txt`
-- before the folder `a`), and a folder whose name differs only in case is listed once. By a timestamp:
-- folders first (by name), then files by that column, `prefix || search` matched with ILIKE.
-- SECURITY INVOKER, so the caller's RLS decides.
create function storage.search(
  prefix text, bucketname text, limits int default 100, levels int default 1, offsets int default 0,
  search text default '', sortcolumn text default 'name', sortorder text default 'asc'
) returns table (name text, id uuid, updated_at timestamptz, created_at timestamptz,
                 last_accessed_at timestamptz, metadata jsonb)
language plpgsql stable as $$
declare
  _prefix text := coalesce(prefix, '');
  _match text := coalesce(prefix, '') || coalesce(search, '');
  _dir text := case when lower(coalesce(sortorder, 'asc')) = 'asc' then 'asc' else 'desc' end;
  _column text := lower(coalesce(sortcolumn, 'name'));
begin
  if _column not in ('name', 'updated_at', 'created_at', 'last_accessed_at') then
    _column := 'name';
  end if;
  if _column = 'name' then
    return query execute format($q$
      with under as (
        select o.name, o.id, o.updated_at, o.created_at, o.last_accessed_at, o.metadata, lower(o.name) as lname,
               strpos(substr(lower(o.name), length($1) + 1), '/') as slash
        from storage.objects o
        where o.bucket_id = $2 and starts_with(lower(o.name), lower($1))
      ), folders as (
        select distinct on (left(u.lname, length($1) + u.slash))
               left(u.lname, length($1) + u.slash) as sort_key,
               substr(rtrim(left(u.name, length($1) + u.slash), '/'), length($3) + 1) as name
        from under u where u.slash > 0
        order by left(u.lname, length($1) + u.slash), u.lname collate "C" %1$s
      ), entries as (
        select f.sort_key, f.name, null::uuid as id, null::timestamptz as updated_at,
               null::timestamptz as created_at, null::timestamptz as last_accessed_at, null::jsonb as metadata
        from folders f
        union all
        select u.lname, substr(u.name, length($3) + 1), u.id, u.updated_at, u.created_at, u.last_accessed_at, u.metadata
        from under u where u.slash = 0
      )
      select e.name, e.id, e.updated_at, e.created_at, e.last_accessed_at, e.metadata
      from entries e
      where e.name <> ''
      order by e.sort_key collate "C" %1$s, e.name collate "C" %1$s
      limit $4 offset $5
    $q$, _dir) using _match, bucketname, _prefix, limits, offsets;
  else
    return query execute format($q$
      with matched as (
        select o.* from storage.objects o where o.bucket_id = $3 and o.name ilike $4 || '%%'
      )
      select e.name, e.id, e.updated_at, e.created_at, e.last_accessed_at, e.metadata from (
        select 0 as kind, f.folder as name, null::uuid as id, null::timestamptz as updated_at,
               null::timestamptz as created_at, null::timestamptz as last_accessed_at, null::jsonb as metadata
        from (select distinct array_to_string(m.path_tokens[$1:$2], '/') as folder
              from matched m where array_length(m.path_tokens, 1) <> $2) f
        union all
        select 1, array_to_string(m.path_tokens[$1:$2], '/'), m.id, m.updated_at, m.created_at, m.last_accessed_at, m.metadata
        from matched m where array_length(m.path_tokens, 1) = $2
      ) e
      order by e.kind, case when e.kind = 0 then e.name end %1$s, e.%2$I %1$s
      limit $5 offset $6
    $q$, _dir, _column)
    using coalesce(array_length(string_to_array(_prefix, '/'), 1), 1),
          coalesce(array_length(string_to_array(_match, '/'), 1), 1),
          bucketname, _match, limits, offsets;
  end if;
end
$$;
grant execute on function storage.search(text, text, int, int, int, text, text, text) to anon, authenticated, service_role;
