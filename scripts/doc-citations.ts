// Checks that the codebase explains itself from its own `docs/`: every citation of
// `docs/<file>.md#<heading>` must name a document and a heading that exist, and nothing may point at
// design documents that live outside the repository. `doc-citations.test.ts` runs this over the tree.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

export interface CitationProblem {
  /** Path relative to the checked root, with `/` separators. */
  file: string;
  line: number;
  message: string;
}

/** Folders that hold no project text: dependencies, build output, test output, local data. */
const SKIP_DIRS = new Set([
  "node_modules", ".git", ".next", "out", "test-results", "playwright-report", "artifacts", "bench-results", ".local-supabase",
]);
const TEXT_FILE = /\.(ts|tsx|mts|mjs|cjs|js|jsx|sql|md|toml|json|css|sh|yml|yaml)$|^run$/;
/** The check itself and its tests spell out the very citations it reports. */
const SKIP_FILES = new Set(["package-lock.json", "doc-citations.ts", "doc-citations.test.ts"]);

/** `docs/<file>.md` optionally followed by `#<anchor>`, wherever it appears (comment, link, string). */
const CITATION = /(?<![\w/.-])(?:\.\.\/)*docs\/([\w-]+)\.md(?:#([\w-]+))?/g;
/** More headings of the same document right after a citation: `docs/x.md#a, #b and #c`. */
const MORE_ANCHORS = /(?:,| and) #([\w-]+)/y;
/** Inside `docs/`: links to a sibling document or to a heading of the same one. */
const DOCS_LINK = /\]\((?:\.\/)?([\w-]+\.md)?(?:#([\w-]+))?\)/g;

/** References to documents that are not part of the repository, each with what to do instead. */
const OUTSIDE_REFERENCES: { pattern: RegExp; message: string }[] = [
  { pattern: /\bdesign\.md\b/i, message: "cites the design document kept outside the repository; cite docs/architecture.md instead" },
  { pattern: /\bwire[ -]facts\b/i, message: "cites the platform reference kept outside the repository; cite docs/supabase-behaviour.md instead" },
  // A module path such as `../shared/jwt.ts` is the platform's own folder, not the outside one.
  { pattern: /\.\.\/shared\b(?!\/[\w./-]+\.(?:ts|tsx|js|mjs|sql)\b)/, message: "points at ../shared, which is not in the repository" },
  { pattern: /§\s?\d/, message: "cites a numbered section of a document that is not in the repository" },
];
const FIX = "cite a heading in docs/ (docs/<file>.md#<heading>) or state the fact in one sentence";

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** Every anchor a Markdown document offers, numbered as GitHub numbers repeated headings. */
export function documentAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = headingAnchor(heading[1].replace(/`/g, ""));
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

function listTextFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name) || SKIP_FILES.has(name)) continue;
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) listTextFiles(path, out);
    else if (TEXT_FILE.test(name) && stat.size < 2_000_000) out.push(path);
  }
  return out;
}

/** Checks every text file under `root` against the documents in `root/docs`. */
export function checkCitations(root: string): CitationProblem[] {
  const docsDir = join(root, "docs");
  const anchorsByDoc = new Map<string, Set<string>>();
  const anchorsOf = (doc: string): Set<string> | undefined => {
    if (!anchorsByDoc.has(doc)) {
      const path = join(docsDir, doc);
      if (!existsSync(path)) return undefined;
      anchorsByDoc.set(doc, documentAnchors(readFileSync(path, "utf8")));
    }
    return anchorsByDoc.get(doc);
  };

  const problems: CitationProblem[] = [];
  for (const path of listTextFiles(root)) {
    const file = relative(root, path).split("\\").join("/");
    const inDocs = file.startsWith("docs/") && file.endsWith(".md");
    const lines = readFileSync(path, "utf8").split("\n");
    lines.forEach((text, index) => {
      const report = (message: string) => problems.push({ file, line: index + 1, message });
      const cite = (doc: string, anchor: string | undefined, shown: string) => {
        const anchors = anchorsOf(doc);
        if (!anchors) report(`${shown}: there is no document docs/${doc}`);
        else if (anchor !== undefined && !anchors.has(anchor)) report(`${shown}: docs/${doc} has no heading #${anchor}`);
      };
      for (const match of text.matchAll(CITATION)) {
        cite(`${match[1]}.md`, match[2], match[0]);
        if (match[2] === undefined) continue;
        MORE_ANCHORS.lastIndex = match.index + match[0].length;
        for (let more; (more = MORE_ANCHORS.exec(text)); ) cite(`${match[1]}.md`, more[1], `docs/${match[1]}.md#${more[1]}`);
      }
      if (inDocs) {
        for (const match of text.matchAll(DOCS_LINK)) {
          if (match[1] === undefined && match[2] === undefined) continue;
          cite(match[1] ?? file.slice("docs/".length), match[2], match[0]);
        }
      }
      for (const { pattern, message } of OUTSIDE_REFERENCES) {
        if (pattern.test(text)) report(`${message}: ${FIX}`);
      }
    });
  }
  return problems;
}
