// Stopping the local platform in the middle of an extraction, then starting it again on the same data
// directory. With Ctrl-C or SIGTERM, Edge Functions stop first, so the job's `beforeunload` marks the
// album `interrupted` while the database and Storage still answer, and after the restart the same zip
// continues it at once. With SIGKILL nothing can run; the job's heartbeat stops, and a minute later the
// album counts as abandoned and the same zip continues it. The platform runs as its own process
// (`npm run platform`), stopped exactly as in real life.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@supabase/supabase-js";
import WebSocket from "ws";
import { ANON_KEY } from "../../local-supabase/src/shared/keys.ts";
import { buildZip } from "./support/zip-builder.ts";
import { jpeg } from "./support/images.ts";
import { eventually, postArchive, readAlbum, waitForEnd, type AlbumRow } from "./support/album-run.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

/** `npm run platform` on a persisted data directory; resolves once it serves. */
async function startPlatformProcess(port: number, dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "local-supabase/src/cli.ts", "--port", String(port), "--data-dir", dataDir], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  await eventually("the platform to serve", async () => {
    if (child.exitCode !== null) throw new Error(`the platform exited early:\n${output}`);
    return output.includes("platform on") ? true : undefined;
  }, 120_000);
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((done) => child.once("exit", (code) => done(code)));
}

/** A new email user of the platform at `url` with one new album; the session is kept to sign in again after a restart. */
async function userWithAlbum(url: string, name: string) {
  const client = createClient(url, ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as never },
  });
  const email = `${name.toLowerCase()}-${Date.now()}@example.com`;
  const { data: signUp, error: signUpError } = await client.auth.signUp({ email, password: "correct horse battery staple" });
  assert.equal(signUpError, null);
  const session = signUp.session!;
  const { data: created, error: createError } = await client.from("albums").insert({ name }).select().single();
  assert.equal(createError, null);
  return { client, session, token: session.access_token, album: created as AlbumRow };
}

describe("the platform stopped mid-extraction and started again", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "shoebox-restart-"));
  let child: ChildProcess | undefined;
  after(async () => {
    if (child && child.exitCode === null) {
      child.kill("SIGKILL");
      await exited(child);
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  // Enough photos that the extraction is still running when the stop comes.
  const photos = Array.from({ length: 400 }, (_, i) => jpeg(12_000 + (i % 7) * 500, i + 1));
  const archive = buildZip(photos.map((data, i) => ({ name: `roll/IMG_${String(i).padStart(4, "0")}.jpg`, data, method: "store" as const })));

  test("SIGTERM: the album is interrupted at once, and the same zip continues it after the restart", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    child = await startPlatformProcess(port, dataDir);

    const { client, session, token, album } = await userWithAlbum(url, "Roll");

    const accepted = await postArchive(url, token, album.id, archive);
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    const midway = await eventually("the extraction to be under way", async () => {
      const row = await readAlbum(client, album.id);
      return row.status === "extracting" && row.uploaded >= 10 ? row : undefined;
    });
    assert.ok(midway.uploaded < photos.length, "stopped before the end");

    child.kill("SIGTERM");
    assert.equal(await exited(child), 0, "the platform stops cleanly");

    child = await startPlatformProcess(port, dataDir);
    await client.auth.setSession({ access_token: token, refresh_token: session.refresh_token });
    const after = await readAlbum(client, album.id);
    assert.equal(after.status, "interrupted", "the job recorded where it stopped before the platform went away");
    assert.match(String(after.error), /Drop the same zip file on the album again to continue/);
    assert.ok(after.uploaded >= midway.uploaded && after.uploaded < photos.length, `${after.uploaded} of ${photos.length} kept`);

    const resumed = await postArchive(url, token, album.id, archive);
    assert.equal(resumed.status, 202, `the same zip is taken at once after the restart: ${JSON.stringify(resumed.body)}`);
    const done = await waitForEnd(client, album.id);
    assert.deepEqual([done.status, done.uploaded, done.failed, done.skipped], ["ready", photos.length, 0, 0]);

    child.kill("SIGTERM");
    assert.equal(await exited(child), 0);
  });

  test("SIGKILL: nothing runs at the kill, and the album is resumable once its job's heartbeat has been missing a minute", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    child = await startPlatformProcess(port, dataDir);
    const { client, session, token, album } = await userWithAlbum(url, "Killed");

    assert.equal((await postArchive(url, token, album.id, archive)).status, 202);
    await eventually("the extraction to be under way", async () => {
      const row = await readAlbum(client, album.id);
      return row.status === "extracting" && row.uploaded >= 10 ? row : undefined;
    });
    child.kill("SIGKILL");
    await exited(child);
    const killedAt = Date.now();

    child = await startPlatformProcess(port, dataDir);
    await client.auth.setSession({ access_token: token, refresh_token: session.refresh_token });
    assert.equal((await readAlbum(client, album.id)).status, "extracting", "a killed job could record nothing");
    // Until the heartbeat has been missing for extraction_stale_after(), the job might be alive elsewhere.
    const early = await postArchive(url, token, album.id, archive);
    assert.deepEqual([early.status, early.body.code], [409, "extraction_running"]);
    let resumed = early;
    while (resumed.status === 409 && Date.now() - killedAt < 120_000) {
      await new Promise((done) => setTimeout(done, 3_000));
      resumed = await postArchive(url, token, album.id, archive);
    }
    const waited = Date.now() - killedAt;
    assert.ok(waited < 90_000, `resumable ${Math.round(waited / 1000)} s after the kill, not ten minutes`);
    assert.equal(resumed.status, 202);
    const done = await waitForEnd(client, album.id);
    assert.deepEqual([done.status, done.uploaded, done.failed, done.skipped], ["ready", photos.length, 0, 0]);

    child.kill("SIGTERM");
    assert.equal(await exited(child), 0);
  });
});
