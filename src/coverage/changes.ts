// Coverage between two dates, for a county's yearly report: which cells changed between the report for
// `from` and the report for `to`, in which direction, and which resources started or stopped serving them.
// Pure: two coverage reports of the same place and cells in, the changes out.
import { type CellCoverage, type CoverageReport, type CoverageStatus, cellKey } from './compute.js';

export type Direction = 'improved' | 'worsened' | 'changed';

/** A cell's standing on one date: what a change compares. */
export interface CellStanding {
  status: CoverageStatus;
  lackingMunicipalities: { code: string; name: string }[];
  affectedPopulation: number;
  notKnownMunicipalities: { code: string; name: string }[];
  notKnownPopulation: number;
}

export interface ResourceRef {
  id: string;
  name: string;
  kind: string;
}

export interface CellChange {
  area: string;
  role: string;
  group: string;
  direction: Direction;
  from: CellStanding;
  to: CellStanding;
  /** Resources serving the cell in the place on `to` and not on `from`. */
  started: ResourceRef[];
  /** Resources serving the cell in the place on `from` and not on `to`. */
  stopped: ResourceRef[];
}

export interface CoverageChanges {
  place: CoverageReport['place'];
  inventoried: boolean;
  inventory: CoverageReport['inventory'];
  from: string;
  to: string;
  summary: Record<Direction, number>;
  cells: CellChange[];
}

/**
 * How much support a status says there is, to tell better from worse. A selection's statuses rank with the
 * complete inventory's that claim as much: `partly-known` with `partial`, `none-known` with `national-only`.
 * `not-inventoried` says nothing and has no rank.
 */
const rank: Record<CoverageStatus, number | null> = {
  covered: 3,
  partial: 2,
  'partly-known': 2,
  'national-only': 1,
  'none-known': 1,
  gap: 0,
  'not-inventoried': null,
};

const standing = (cell: CellCoverage): CellStanding => ({
  status: cell.status,
  lackingMunicipalities: cell.lackingMunicipalities,
  affectedPopulation: cell.affectedPopulation,
  notKnownMunicipalities: cell.notKnownMunicipalities,
  notKnownPopulation: cell.notKnownPopulation,
});

const codes = (municipalities: { code: string }[]) => municipalities.map((m) => m.code).join(',');

/** Whether the status, the municipalities without (known) support or their population differ. */
function differs(a: CellStanding, b: CellStanding): boolean {
  return (
    a.status !== b.status ||
    codes(a.lackingMunicipalities) !== codes(b.lackingMunicipalities) ||
    a.affectedPopulation !== b.affectedPopulation ||
    codes(a.notKnownMunicipalities) !== codes(b.notKnownMunicipalities) ||
    a.notKnownPopulation !== b.notKnownPopulation
  );
}

/** Better status first; with the same status, fewer people without (known) regional support is better. */
export function directionOf(from: CellStanding, to: CellStanding): Direction {
  const was = rank[from.status];
  const is = rank[to.status];
  if (was !== null && is !== null && was !== is) return is > was ? 'improved' : 'worsened';
  const without = (s: CellStanding) => s.affectedPopulation + s.notKnownPopulation;
  if (was !== null && is !== null && without(from) !== without(to))
    return without(to) < without(from) ? 'improved' : 'worsened';
  return 'changed';
}

const refs = (cell: CellCoverage, leaving: CellCoverage): ResourceRef[] => {
  const other = new Set(leaving.resources.map((r) => r.id));
  return cell.resources.filter((r) => !other.has(r.id)).map(({ id, name, kind }) => ({ id, name, kind }));
};

/** The cells that changed from the report `before` (on `from`) to `after` (on `to`), in matrix order. */
export function coverageChanges(before: CoverageReport, after: CoverageReport): CoverageChanges {
  const earlier = new Map(before.cells.map((cell) => [cellKey(cell), cell]));
  const cells: CellChange[] = [];
  for (const cell of after.cells) {
    const was = earlier.get(cellKey(cell));
    if (!was) continue;
    const from = standing(was);
    const to = standing(cell);
    if (!differs(from, to)) continue;
    cells.push({
      area: cell.area,
      role: cell.role,
      group: cell.group,
      direction: directionOf(from, to),
      from,
      to,
      started: refs(cell, was),
      stopped: refs(was, cell),
    });
  }
  const summary = { improved: 0, worsened: 0, changed: 0 };
  for (const change of cells) summary[change.direction] += 1;
  return {
    place: after.place,
    inventoried: after.inventoried,
    inventory: after.inventory,
    from: before.at,
    to: after.at,
    summary,
    cells,
  };
}
