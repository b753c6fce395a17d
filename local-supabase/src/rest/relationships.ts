import { RestError } from "./errors.ts";
import type { EmbedItem } from "./parse-select.ts";
import type { ForeignKey, SchemaSnapshot, Table } from "./schema-cache.ts";

export interface Relationship {
  target: Table;
  fk: ForeignKey;
  /** many-to-one: `from` holds the FK (embed is one object); one-to-many: the target holds it. */
  direction: "many-to-one" | "one-to-many";
  /** one-to-many whose FK columns are unique on the target is one-to-one: an object, not an array. */
  single: boolean;
}

/** Finds the FK an embed follows, in either direction, honouring a `!hint` (constraint or column name). */
export function resolveRelationship(snapshot: SchemaSnapshot, from: Table, embed: EmbedItem): Relationship {
  const target = snapshot.tables.get(embed.relation);
  const candidates: Relationship[] = [];
  if (target) {
    for (const fk of snapshot.foreignKeys) {
      if (fk.table === from.name && fk.refTable === target.name) {
        candidates.push({ target, fk, direction: "many-to-one", single: true });
      }
      if (fk.table === target.name && fk.refTable === from.name && !(fk.table === fk.refTable && candidates.some((c) => c.fk === fk))) {
        const single = target.uniques.some((cols) => sameSet(cols, fk.columns));
        candidates.push({ target, fk, direction: "one-to-many", single });
      }
    }
  }
  const matching = embed.hint === null ? candidates : candidates.filter((c) => matchesHint(c.fk, embed.hint as string));
  if (matching.length === 1) return matching[0];
  if (matching.length === 0) {
    throw new RestError(
      400,
      "PGRST200",
      `Could not find a relationship between '${from.name}' and '${embed.relation}' in the schema cache`,
      `Searched for a foreign key relationship between '${from.name}' and '${embed.relation}'${embed.hint ? ` using the hint '${embed.hint}'` : ""} in the schema '${from.schema}', but no matches were found.`,
      "Perhaps you meant a different table name or relationship hint.",
    );
  }
  throw new RestError(
    300,
    "PGRST201",
    `Could not embed because more than one relationship was found for '${from.name}' and '${embed.relation}'`,
    JSON.stringify(matching.map((c) => ({ cardinality: c.direction, embedding: `${from.name} with ${embed.relation}`, relationship: c.fk.name }))),
    `Try changing '${embed.relation}' to one of the following: ${matching.map((c) => `'${embed.relation}!${c.fk.name}'`).join(", ")}. Find the desired relationship in the 'details' key.`,
  );
}

function matchesHint(fk: ForeignKey, hint: string): boolean {
  return fk.name === hint || (fk.columns.length === 1 && fk.columns[0] === hint) || (fk.refColumns.length === 1 && fk.refColumns[0] === hint);
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((name) => b.includes(name));
