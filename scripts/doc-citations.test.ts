import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, describe, test } from "node:test";
import { checkCitations, documentAnchors, headingAnchor } from "./doc-citations.ts";

/** A throw-away tree with the given files (path → text). */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "doc-citations-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  roots.push(root);
  return root;
}
const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

const DOC = "# Title\n\n## Resuming\n\n### File system and `/tmp`\n\n```\n# not a heading\n```\n\n## Resuming\n";

describe("heading anchors", () => {
  test("follow GitHub: lower case, punctuation dropped, spaces to hyphens", () => {
    assert.equal(headingAnchor("Routing and JWT verification"), "routing-and-jwt-verification");
    assert.equal(headingAnchor("Remove, move and copy"), "remove-move-and-copy");
    assert.equal(headingAnchor("Nothing is lost silently!"), "nothing-is-lost-silently");
  });

  test("skip fenced code, drop backticks, and number repeated headings", () => {
    assert.deepEqual([...documentAnchors(DOC)], ["title", "resuming", "file-system-and-tmp", "resuming-1"]);
  });
});

describe("citation check", () => {
  test("accepts citations of documents and headings that exist", () => {
    const root = tree({
      "docs/architecture.md": DOC,
      "lib/a.ts": "// See docs/architecture.md#resuming, #file-system-and-tmp and docs/architecture.md.\n",
      "local-supabase/README.md": "[tmp](../docs/architecture.md#file-system-and-tmp)\n",
    });
    assert.deepEqual(checkCitations(root), []);
  });

  test("reports a heading that does not exist, with file and line", () => {
    const root = tree({ "docs/architecture.md": DOC, "lib/a.ts": "const a = 1;\n// docs/architecture.md#resume\n" });
    assert.deepEqual(checkCitations(root), [
      { file: "lib/a.ts", line: 2, message: "docs/architecture.md#resume: docs/architecture.md has no heading #resume" },
    ]);
  });

  test("checks the further headings of a list that names the document once", () => {
    const root = tree({ "docs/architecture.md": DOC, "lib/a.ts": "// (docs/architecture.md#resuming, #title and #nope)\n" });
    assert.deepEqual(
      checkCitations(root).map((p) => p.message),
      ["docs/architecture.md#nope: docs/architecture.md has no heading #nope"],
    );
  });

  test("reports a document that does not exist", () => {
    const root = tree({ "docs/architecture.md": DOC, "supabase/x.sql": "-- docs/limits.md#free\n" });
    const [problem] = checkCitations(root);
    assert.equal(problem.file, "supabase/x.sql");
    assert.match(problem.message, /there is no document docs\/limits\.md/);
  });

  test("checks links between and within the documents", () => {
    const root = tree({
      "docs/architecture.md": DOC + "\nSee [resuming](#resuming) and [gone](#gone), [other](other.md#x).\n",
    });
    assert.deepEqual(
      checkCitations(root).map((p) => p.message),
      ["](#gone): docs/architecture.md has no heading #gone", "](other.md#x): there is no document docs/other.md"],
    );
  });

  test("reports references to documents outside the repository", () => {
    // Built from pieces so this file does not trip the check it tests.
    const design = "design" + ".md";
    const root = tree({
      "docs/architecture.md": DOC,
      "a.ts": `// the flow (${design} §1)\n`,
      "b.ts": "// " + "wire" + " facts\n",
      "c.md": "see ../" + "shared/x\n",
      "d.ts": "// limits (§" + "5.5)\n",
      "e.ts": 'import { verifyJwt } from "../' + 'shared/jwt.ts";\n',
    });
    const files = checkCitations(root).map((p) => p.file);
    assert.deepEqual([...new Set(files)].sort(), ["a.ts", "b.ts", "c.md", "d.ts"]);
  });
});

describe("this repository", () => {
  test("cites only documents and headings in docs/, and nothing outside the repository", () => {
    const problems = checkCitations(join(import.meta.dirname, ".."));
    assert.deepEqual(
      problems.map((p) => `${p.file}:${p.line} ${p.message}`),
      [],
    );
  });
});
