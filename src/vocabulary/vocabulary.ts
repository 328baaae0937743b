// The matrix axes (areas, roles, groups) and the resource kinds. The lists live in
// seed/reference/vocabulary.json: adding a kind is a data change, not a code change.
import { asc } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import * as schema from '../db/schema.js';

export interface Term {
  code: string;
  labelSv: string;
  labelEn: string;
}

export interface Cell {
  area: string;
  role: string;
  group: string;
}

export const axes = ['areas', 'roles', 'groups', 'kinds'] as const;
export type Axis = (typeof axes)[number];

export class Vocabulary {
  private readonly codes: Record<Axis, ReadonlySet<string>>;

  constructor(readonly terms: Record<Axis, readonly Term[]>) {
    this.codes = {
      areas: new Set(terms.areas.map((t) => t.code)),
      roles: new Set(terms.roles.map((t) => t.code)),
      groups: new Set(terms.groups.map((t) => t.code)),
      kinds: new Set(terms.kinds.map((t) => t.code)),
    };
  }

  has(axis: Axis, code: string): boolean {
    return this.codes[axis].has(code);
  }

  /** Every cell of the matrix (4 areas × 2 roles × 5 groups = 40), in the reports' order. */
  cells(): Cell[] {
    return this.terms.areas.flatMap((a) =>
      this.terms.roles.flatMap((r) =>
        this.terms.groups.map((g) => ({ area: a.code, role: r.code, group: g.code })),
      ),
    );
  }
}

export function loadVocabulary(db: Db): Vocabulary {
  const read = (
    table: typeof schema.areas | typeof schema.roles | typeof schema.targetGroups | typeof schema.kinds,
  ) =>
    db
      .select({ code: table.code, labelSv: table.labelSv, labelEn: table.labelEn })
      .from(table as typeof schema.areas)
      .orderBy(asc(table.position))
      .all();
  return new Vocabulary({
    areas: read(schema.areas),
    roles: read(schema.roles),
    groups: read(schema.targetGroups),
    kinds: read(schema.kinds),
  });
}
