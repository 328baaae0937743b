// Loads what a coverage report needs, with SQL that mirrors `countsAt`, and hands it to the pure
// computation. A place's report reads only the resources that could change it; the national overview
// reads one aggregate of support per cell and municipality for every county at once.
import { and, eq, exists, gt, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import * as schema from '../db/schema.js';
import type { Places } from '../places/places.js';
import { latestInventories } from '../places/repository.js';
import type { Cell } from '../vocabulary/vocabulary.js';
import {
  type CellSupport,
  type CountyInput,
  type CoverageLocation,
  type CoveragePlace,
  type CoverageReport,
  type CoverageResource,
  cellKey,
  coverageReport,
  type NationalOverview,
  nationalOverview,
} from './compute.js';

const r = schema.resources;
const rc = schema.resourceCells;
const rm = schema.resourceMunicipalities;
const rl = schema.resourceLocations;

// Every list travels as one JSON array parameter read with json_each, so that each statement's text
// is fixed: it is built and prepared once per database, and there is no limit on a list's length.
const at = sql.placeholder('at');
const inList = (name: string) => sql`(select value from json_each(${sql.placeholder(name)}))`;

/** `countsAt` in SQL: the same rule, so that the database narrows and the computation decides. */
const counted = and(
  eq(r.forIndividuals, true),
  or(isNull(r.activeFrom), lte(r.activeFrom, at)),
  or(
    and(eq(r.status, 'active'), or(isNull(r.activeUntil), gt(r.activeUntil, at))),
    and(eq(r.status, 'closed'), isNotNull(r.activeUntil), gt(r.activeUntil, at)),
  ),
);

/**
 * A requested cell, matched by its key (`cells` holds `cellKey`s). Being an expression, it is checked
 * on the few cell rows of each resource instead of being multiplied out into an index probe for every
 * area × role × group combination.
 */
const requestedCell = sql`(${rc.area} || '|' || ${rc.role} || '|' || ${rc.group}) in ${inList('cells')}`;

function prepareStatements(db: Db) {
  const one = { one: sql`1` };
  return {
    /**
     * Counted resources covering a requested cell that serve the place (`place` holds municipality
     * codes; national ones serve every place) or have a location anywhere, which reach needs.
     */
    candidates: db
      .select({
        id: r.id,
        name: r.name,
        kind: r.kind,
        status: r.status,
        activeFrom: r.activeFrom,
        activeUntil: r.activeUntil,
        forIndividuals: r.forIndividuals,
        national: r.national,
      })
      .from(r)
      .where(
        and(
          counted,
          exists(
            db
              .select(one)
              .from(rc)
              .where(and(eq(rc.resourceId, r.id), requestedCell)),
          ),
          or(
            eq(r.national, true),
            exists(
              db
                .select(one)
                .from(rm)
                .where(and(eq(rm.resourceId, r.id), sql`${rm.municipalityCode} in ${inList('place')}`)),
            ),
            exists(db.select(one).from(rl).where(eq(rl.resourceId, r.id))),
          ),
        ),
      )
      .prepare(),
    cells: db
      .select({ resourceId: rc.resourceId, area: rc.area, role: rc.role, group: rc.group })
      .from(rc)
      .where(and(sql`${rc.resourceId} in ${inList('ids')}`, requestedCell))
      .prepare(),
    /** The service areas of the resources `ids`, trimmed to the place. */
    served: db
      .select({ resourceId: rm.resourceId, municipality: rm.municipalityCode })
      .from(rm)
      .where(
        and(sql`${rm.resourceId} in ${inList('ids')}`, sql`${rm.municipalityCode} in ${inList('place')}`),
      )
      .prepare(),
    locations: db
      .select({
        resourceId: rl.resourceId,
        visibility: rl.visibility,
        municipality: rl.municipalityCode,
        lat: rl.lat,
        lon: rl.lon,
      })
      .from(rl)
      .where(sql`${rl.resourceId} in ${inList('ids')}`)
      .prepare(),
    /** The municipalities with regional support for each requested cell: distinct pairs. */
    regionalSupport: db
      .selectDistinct({ area: rc.area, role: rc.role, group: rc.group, municipality: rm.municipalityCode })
      .from(rc)
      .innerJoin(r, eq(r.id, rc.resourceId))
      .innerJoin(rm, eq(rm.resourceId, rc.resourceId))
      .where(and(counted, eq(r.national, false), requestedCell))
      .prepare(),
    nationalSupport: db
      .selectDistinct({ area: rc.area, role: rc.role, group: rc.group })
      .from(rc)
      .innerJoin(r, eq(r.id, rc.resourceId))
      .where(and(counted, eq(r.national, true), requestedCell))
      .prepare(),
  };
}

const statements = new WeakMap<Db, ReturnType<typeof prepareStatements>>();
function statementsOf(db: Db): ReturnType<typeof prepareStatements> {
  let prepared = statements.get(db);
  if (!prepared) {
    prepared = prepareStatements(db);
    statements.set(db, prepared);
  }
  return prepared;
}

export interface PlaceQuery {
  municipalities: readonly string[];
  cells: readonly Cell[];
  at: string;
}

/**
 * The counted resources covering a requested cell that either serve the place (national ones
 * included) or have a location anywhere, the latter for reach. Service areas are trimmed to the place;
 * national resources come without locations, as reach never uses them.
 */
export function loadCoverageResources(db: Db, query: PlaceQuery): CoverageResource[] {
  if (query.cells.length === 0) return [];
  const statement = statementsOf(db);
  const place = JSON.stringify(query.municipalities);
  const cells = JSON.stringify(query.cells.map(cellKey));

  const resources = new Map<string, Loading>();
  const rows = statement.candidates.all({ at: query.at, cells, place });
  for (const row of rows) resources.set(row.id, { ...row, cells: [], serviceArea: [], locations: [] });
  const ids = JSON.stringify([...resources.keys()]);

  for (const { resourceId, ...cell } of statement.cells.all({ ids, cells })) {
    resources.get(resourceId)?.cells.push(cell);
  }
  for (const { resourceId, municipality } of statement.served.all({ ids, place })) {
    resources.get(resourceId)?.serviceArea.push(municipality);
  }
  const regional = JSON.stringify(rows.filter((row) => !row.national).map((row) => row.id));
  for (const { resourceId, ...location } of statement.locations.all({ ids: regional })) {
    resources.get(resourceId)?.locations.push(location);
  }
  return [...resources.values()];
}

/** A resource while its cells, service area and locations are read in. */
type Loading = Omit<CoverageResource, 'cells' | 'serviceArea' | 'locations'> & {
  cells: Cell[];
  serviceArea: string[];
  locations: CoverageLocation[];
};

export function coverageOfPlace(
  db: Db,
  places: Places,
  query: { place: CoveragePlace; cells: readonly Cell[]; at: string },
): CoverageReport {
  const { place, cells, at } = query;
  const municipalities = place.municipalities.map((m) => m.code);
  return coverageReport({
    place,
    inventory: latestInventories(db).get(place.county.code) ?? null,
    at,
    cells,
    resources: loadCoverageResources(db, { municipalities, cells, at }),
    seats: places.municipalities,
  });
}

/**
 * Support per cell for the whole country in two aggregate queries: the municipalities with regional
 * support (distinct cell × municipality pairs) and the cells with national support.
 */
export function loadCellSupport(
  db: Db,
  query: { cells: readonly Cell[]; at: string },
): Map<string, CellSupport> {
  const support = new Map<string, { regional: Set<string>; national: boolean }>(
    query.cells.map((cell) => [cellKey(cell), { regional: new Set(), national: false }]),
  );
  if (query.cells.length === 0) return support;
  const statement = statementsOf(db);
  const parameters = { at: query.at, cells: JSON.stringify(query.cells.map(cellKey)) };
  for (const { municipality, ...cell } of statement.regionalSupport.all(parameters)) {
    support.get(cellKey(cell))?.regional.add(municipality);
  }
  for (const cell of statement.nationalSupport.all(parameters)) {
    const found = support.get(cellKey(cell));
    if (found) found.national = true;
  }
  return support;
}

export function coverageOfCountry(
  db: Db,
  places: Places,
  query: { cells: readonly Cell[]; at: string },
): NationalOverview {
  const inventories = latestInventories(db);
  const counties: CountyInput[] = [...places.counties.values()].map((county) => ({
    code: county.code,
    name: county.name,
    inventory: inventories.get(county.code) ?? null,
    municipalities: places.municipalitiesOfCounty(county.code),
  }));
  return nationalOverview({
    at: query.at,
    cells: query.cells,
    counties,
    support: loadCellSupport(db, query),
  });
}
