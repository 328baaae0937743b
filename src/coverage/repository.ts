// Loads what coverage needs into a SupportIndex and keeps it while the data is unchanged: one read of two
// plain statements, again only when the dataset version (raised by triggers on every write) has moved on.
// Every report and the national overview are then computed in memory by compute.ts.
import type Database from 'better-sqlite3';
import type { Db } from '../db/client.js';
import { datasetVersion } from '../db/dataset-version.js';
import type { Places } from '../places/places.js';
import { latestInventories } from '../places/repository.js';
import type { Cell, Vocabulary } from '../vocabulary/vocabulary.js';
import {
  type CountyInput,
  type CoveragePlace,
  type CoverageReport,
  locatedPoint,
  type NationalOverview,
  nationalOverview,
  placeCoverage,
  supportLevels,
} from './compute.js';
import { type ResourceStatus, type SupportIndex, SupportIndexBuilder } from './support-index.js';

// Rows as arrays (`raw`), read straight into the builder: no object per row, no ORM mapping.
type ResourceRow = [
  id: string,
  name: string,
  kind: string,
  status: ResourceStatus,
  activeFrom: string | null,
  activeUntil: string | null,
  forIndividuals: 0 | 1,
  national: 0 | 1,
  sourceSeen: string | null,
  /** The resource's cells as bits in the order of `vocabulary.cells()`, summed; null for none. */
  cells: number | null,
  /** Its service area as comma-separated municipality codes; null for none (a national resource). */
  serviceArea: string | null,
];
type LocationRow = [
  resourceId: string,
  visibility: 'public' | 'confidential',
  municipality: string,
  lat: number | null,
  lon: number | null,
];

/** Bits of one integer that JavaScript holds exactly: enough for 4 areas × 2 roles × 6 groups and more. */
const maxCells = 53;

/**
 * The statements, with each resource's cells and service area folded into its row by correlated subqueries
 * on the tables' primary keys: a third of the rows and no id lookups, compared with reading the three
 * tables apart. A cell's bit is worked out in SQL from its area, role and group positions, which bind as
 * parameters; `vocabulary.cells()` orders cells the same way (areas, then roles, then groups).
 */
function prepareStatements(sqlite: Database.Database, vocabulary: Vocabulary) {
  const { areas, roles, groups } = vocabulary.terms;
  if (areas.length * roles.length * groups.length > maxCells) {
    throw new RangeError(`the coverage index holds at most ${maxCells} cells`);
  }
  const position = (column: string, terms: readonly unknown[], step: number) =>
    `CASE ${column} ${terms.map((_, i) => `WHEN ? THEN ${i * step}`).join(' ')} END`;
  // An unknown code gives NULL, and sum() passes over it: a cell outside the vocabulary covers nothing.
  const bit = [
    position('area', areas, roles.length * groups.length),
    position('role', roles, groups.length),
    position('"group"', groups, 1),
  ].join(' + ');
  const codes = [...areas, ...roles, ...groups].map((term) => term.code);
  return {
    resources: sqlite
      .prepare<string[], ResourceRow>(
        `SELECT r.id, r.name, r.kind, r.status, r.active_from, r.active_until, r.for_individuals, r.national,
           r.source_seen,
           (SELECT sum(1 << (${bit})) FROM resource_cells c WHERE c.resource_id = r.id),
           (SELECT group_concat(m.municipality_code) FROM resource_municipalities m WHERE m.resource_id = r.id)
         FROM resources r`,
      )
      .raw()
      .bind(...codes),
    locations: sqlite
      .prepare<[], LocationRow>(
        'SELECT resource_id, visibility, municipality_code, lat, lon FROM resource_locations',
      )
      .raw(),
  };
}

/** Reads every resource's coverage facts in one read transaction, so that they and the version agree. */
export function loadSupportIndex(
  sqlite: Database.Database,
  places: Places,
  vocabulary: Vocabulary,
): { version: number; index: SupportIndex } {
  const statements = prepareStatements(sqlite, vocabulary);
  return sqlite.transaction(() => {
    const version = datasetVersion(sqlite);
    const builder = new SupportIndexBuilder(vocabulary.cells(), places.municipalities.keys());
    const byId = new Map<string, number>();
    for (const row of statements.resources.iterate()) {
      const r = builder.add({
        id: row[0],
        name: row[1],
        kind: row[2],
        status: row[3],
        activeFrom: row[4],
        activeUntil: row[5],
        forIndividuals: row[6] === 1,
        national: row[7] === 1,
        sourceSeen: row[8],
      });
      if (row[9] !== null) builder.addCellMask(r, row[9]);
      if (row[10] !== null) builder.addMunicipalityList(r, row[10]);
      byId.set(row[0], r);
    }
    // Locations come in rowid order, in which one resource's rows are adjacent (they are written
    // together): the last id answers most lookups without the map.
    let lastId: string | undefined;
    let r: number | undefined;
    for (const [id, visibility, municipality, lat, lon] of statements.locations.iterate()) {
      if (id !== lastId) {
        lastId = id;
        r = byId.get(id);
      }
      if (r === undefined) continue;
      const point = locatedPoint({ visibility, municipality, lat, lon }, places.municipalities);
      if (point) builder.addPoint(r, point);
    }
    return { version, index: builder.build() };
  })();
}

/**
 * The support index of one database, rebuilt on first use after a write. Held by the app (one per
 * database), so reports between writes share one index and its lazily built reach grids.
 */
export class SupportIndexCache {
  private built: { version: number; index: SupportIndex } | undefined;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly places: Places,
    private readonly vocabulary: Vocabulary,
  ) {}

  /** The index as of the current data. */
  current(): SupportIndex {
    if (this.built === undefined || this.built.version !== datasetVersion(this.sqlite)) {
      this.built = loadSupportIndex(this.sqlite, this.places, this.vocabulary);
    }
    return this.built.index;
  }
}

export function coverageOfPlace(
  db: Db,
  support: SupportIndex,
  query: { place: CoveragePlace; cells: readonly Cell[]; at: string; openAt?: number },
): CoverageReport {
  return placeCoverage(support, {
    ...query,
    inventory: latestInventories(db).get(query.place.county.code) ?? null,
  });
}

export function coverageOfCountry(
  db: Db,
  places: Places,
  support: SupportIndex,
  query: { cells: readonly Cell[]; at: string; openAt?: number },
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
    ...(query.openAt === undefined ? {} : { openAt: query.openAt }),
    cells: query.cells,
    counties,
    support: supportLevels(support, query.cells, query.at, query.openAt),
  });
}
