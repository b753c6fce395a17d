// Exercises the hosted sandbox (docs/supabase-behaviour.md#file-system-and-tmp): blocked APIs, sync writes after init, the private /tmp and its quota.

// Sync writes are allowed while the module initialises.
let initWrite = "ok";
try {
  Deno.writeTextFileSync("/tmp/init.txt", "written during init");
} catch (error) {
  initWrite = (error as Error).name;
}

const errorName = async (run: () => unknown): Promise<string> => {
  try {
    await run();
    return "ok";
  } catch (error) {
    return (error as Error).name;
  }
};

// deno-lint-ignore no-explicit-any
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const D = Deno as any;

async function blocked(): Promise<Record<string, string>> {
  await Deno.writeTextFile("/tmp/a.txt", "a");
  const file = await Deno.open("/tmp/a.txt", { read: true, write: true });
  const results: Record<string, string> = {
    rename: await errorName(() => Deno.rename("/tmp/a.txt", "/tmp/b.txt")),
    renameSync: await errorName(() => Deno.renameSync("/tmp/a.txt", "/tmp/b.txt")),
    copyFile: await errorName(() => Deno.copyFile("/tmp/a.txt", "/tmp/b.txt")),
    truncate: await errorName(() => Deno.truncate("/tmp/a.txt", 0)),
    chmod: await errorName(() => Deno.chmod("/tmp/a.txt", 0o600)),
    symlink: await errorName(() => Deno.symlink("/tmp/a.txt", "/tmp/c.txt")),
    link: await errorName(() => Deno.link("/tmp/a.txt", "/tmp/d.txt")),
    readLink: await errorName(() => Deno.readLink("/tmp/a.txt")),
    utime: await errorName(() => Deno.utime("/tmp/a.txt", 1, 1)),
    fstat: await errorName(() => D.fstat(0)),
    "file.stat": await errorName(() => file.stat()),
    "file.truncate": await errorName(() => file.truncate(0)),
    "file.sync": await errorName(() => file.sync()),
    "file.lock": await errorName(() => file.lock()),
    createSync: await errorName(() => Deno.createSync("/tmp/e.txt")),
    umask: await errorName(() => Deno.umask()),
    chdir: await errorName(() => Deno.chdir("/")),
    watchFs: await errorName(() => Deno.watchFs("/tmp")),
    Command: await errorName(() => new Deno.Command("true").outputSync()),
    writeFileSync: await errorName(() => Deno.writeFileSync("/tmp/f.txt", new Uint8Array(1))),
    writeTextFileSync: await errorName(() => Deno.writeTextFileSync("/tmp/f.txt", "x")),
    mkdirSync: await errorName(() => Deno.mkdirSync("/tmp/dir")),
    removeSync: await errorName(() => Deno.removeSync("/tmp/a.txt")),
    statSync: await errorName(() => Deno.statSync("/tmp/a.txt")),
    readDirSync: await errorName(() => [...Deno.readDirSync("/tmp")]),
    makeTempDirSync: await errorName(() => Deno.makeTempDirSync()),
    // Silent no-ops: the worker keeps running.
    exit: await errorName(() => Deno.exit(3)),
    kill: await errorName(() => Deno.kill(Deno.pid, "SIGTERM")),
    // Allowed.
    stat: await errorName(() => Deno.stat("/tmp/a.txt")),
    readTextFileSync: await errorName(() => Deno.readTextFileSync("/tmp/init.txt")),
    makeTempDir: await errorName(() => Deno.makeTempDir()),
  };
  file.close();
  return results;
}

Deno.serve(async (req) => {
  const url = new URL(req.url);
  const op = url.searchParams.get("op");
  const name = url.searchParams.get("name") ?? "file.txt";
  if (op === "blocked") return Response.json({ initWrite, results: await blocked() });
  if (op === "write") {
    await Deno.writeTextFile(`/tmp/${name}`, url.searchParams.get("text") ?? "");
    return Response.json({ realPath: await Deno.realPath(`/tmp/${name}`), tempDir: await Deno.makeTempDir() });
  }
  if (op === "read") {
    try {
      return Response.json({ text: await Deno.readTextFile(`/tmp/${name}`) });
    } catch (error) {
      return Response.json({ error: (error as Error).name });
    }
  }
  if (op === "spool") {
    // Streams the request body to /tmp like the album upload spools its zip, and reports how it ended.
    try {
      await Deno.writeFile(`/tmp/${name}`, req.body!);
      return Response.json({ bytes: (await Deno.stat(`/tmp/${name}`)).size });
    } catch (error) {
      await req.body?.cancel().catch(() => {});
      const size = await Deno.stat(`/tmp/${name}`).then((info) => info.size, () => -1);
      await Deno.remove(`/tmp/${name}`).catch(() => {});
      return Response.json({ error: (error as Error).message, writtenBeforeFailure: size }, { status: 507 });
    }
  }
  return new Response("unknown op", { status: 400 });
});
