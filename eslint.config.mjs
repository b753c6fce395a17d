import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    ".next/**",
    "next-env.d.ts",
    "node_modules/**",
    // Edge Functions run on Deno with their own lint (deno lint); the Node linter cannot resolve npm: imports.
    "supabase/functions/**",
  ]),
  {
    // Photos are shown from short-lived signed Storage URLs; next/image would re-cache them under a
    // stable URL and outlive the signature, so plain <img loading="lazy"> is deliberate.
    rules: { "@next/next/no-img-element": "off" },
  },
]);
