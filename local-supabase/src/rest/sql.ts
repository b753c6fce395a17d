/** Collects bind parameters: every value from a request reaches Postgres as `$n`, never as SQL text. */
export class Params {
  readonly values: unknown[] = [];
  private aliasCount = 0;

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** A fresh table alias (`_t0`, `_t1`, …) for nested embeds. */
  alias(): string {
    return `_t${this.aliasCount++}`;
  }
}

/** Identifiers are checked against the schema cache first; quoting is the second line of defence. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function qualified(schema: string, name: string): string {
  return `${ident(schema)}.${ident(name)}`;
}
