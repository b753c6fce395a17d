/** The measurement's table: one line per target of the issue, judged PASS or FAIL, with its baseline. */

export type TargetLine = {
  target: string;
  measured: string;
  /** The same thing measured the old way in the same run (originals), with the ratio. */
  baseline: string;
  pass: boolean;
};

export const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
export const ms = (value: number) => `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`;
export const percentOf = (value: number, base: number) => `${((100 * value) / base).toFixed(1)} %`;

/** A Markdown table, columns padded so it also reads in a terminal. */
export function formatTable(lines: TargetLine[]): string {
  const rows = [["target", "measured", "baseline (same run)", "verdict"], ...lines.map((l) => [l.target, l.measured, l.baseline, l.pass ? "PASS" : "FAIL"])];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(" | ")} |`;
  return [line(rows[0]), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line)].join("\n");
}
