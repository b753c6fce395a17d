// The project's functions with extra secrets, as `supabase/functions/.env` gives them locally and
// `supabase secrets set` hosted: a throw-away functions folder whose entries link to the real ones,
// beside a `.env`. Tests use it to tell album-upload the /tmp quota a test platform enforces.
import { mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export interface FunctionsDir {
  dir: string;
  remove(): void;
}

export function functionsWithEnv(env: Record<string, string | number>): FunctionsDir {
  const real = resolve("supabase/functions");
  const dir = mkdtempSync(join(tmpdir(), "shoebox-functions-"));
  for (const name of readdirSync(real)) {
    if (name !== ".env") symlinkSync(join(real, name), join(dir, name));
  }
  writeFileSync(join(dir, ".env"), Object.entries(env).map(([k, v]) => `${k}=${v}`).join("\n") + "\n");
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
