import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ANON_KEY as LOCAL_ANON_KEY, SERVICE_ROLE_KEY as LOCAL_SERVICE_ROLE_KEY } from "../../src/shared/keys.ts";

/**
 * Where the platform contract tests run. By default, an in-memory platform in the test process. With
 * `SHOEBOX_CONTRACT_URL` set, any Supabase-compatible URL — a `supabase start` stack or a hosted project
 * with this repository's migrations — and then only the files marked black-box run there.
 */
export interface ContractTarget {
  url: string;
  /** Legacy JWT keys: the tests also send them as `Authorization: Bearer`, which the new `sb_…` keys are not. */
  anonKey: string;
  serviceKey: string;
}

/** Without key variables the CLI's fixed demo keys are used, which is what a `supabase start` stack takes. */
export const CONTRACT_TARGET: ContractTarget | null = process.env.SHOEBOX_CONTRACT_URL
  ? {
      url: process.env.SHOEBOX_CONTRACT_URL.replace(/\/+$/, ""),
      anonKey: process.env.SHOEBOX_CONTRACT_ANON_KEY ?? LOCAL_ANON_KEY,
      serviceKey: process.env.SHOEBOX_CONTRACT_SERVICE_KEY ?? LOCAL_SERVICE_ROLE_KEY,
    }
  : null;

/**
 * A test file opts into the black-box group with this line near its top. It promises the file reaches
 * the platform only through its URL and keys: no database, disk, config or other internals, no special
 * start options, nothing it leaves behind that a second run would trip over. Unmarked files are internal.
 */
export const BLACK_BOX_MARKER = "// @contract black-box";

export function isBlackBoxFile(path: string): boolean {
  return readFileSync(path, "utf8").split("\n").some((line) => line.trim() === BLACK_BOX_MARKER);
}

/** The `*.test.ts` file that called into this module, from the call stack (tsx maps frames to the .ts sources). */
export function callingTestFile(): string | null {
  for (const line of new Error().stack?.split("\n") ?? []) {
    const match = /((?:file:\/\/)?\/[^\s():]+\.test\.ts)/.exec(line);
    if (match) return match[1].startsWith("file:") ? fileURLToPath(match[1]) : match[1];
  }
  return null;
}
