// The repository reads only part of the database; what it reads must give the same report as reading
// everything would. Checked on the curated data and on random resources stored through the real path.

import { deepStrictEqual } from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import t from 'tap';
import {
  type CoveragePlace,
  type CoverageResource,
  cellSupport,
  coverageReport,
} from '../../src/coverage/compute.js';
import { coverageOfPlace, loadCellSupport, loadCoverageResources } from '../../src/coverage/repository.js';
import { latestInventories } from '../../src/places/repository.js';
import { parseDataset, storeDataset } from '../../src/resources/dataset.js';
import type { ResourceInput } from '../../src/resources/schemas.js';
import type { Cell } from '../../src/vocabulary/vocabulary.js';
import { buildTestApp } from '../helpers/app.js';
import { resourceInput } from '../helpers/fixtures.js';

const app = await buildTestApp(t);
const { db, sqlite } = app.database;

/** Every resource in the database, with its whole service area: what a naive loader would read. */
function allResources(): CoverageResource[] {
  type Row = Omit<CoverageResource, 'forIndividuals' | 'national' | 'cells' | 'serviceArea' | 'locations'> & {
    forIndividuals: number;
    national: number;
  };
  const rows = sqlite
    .prepare(
      `SELECT id, name, kind, status, active_from activeFrom, active_until activeUntil,
              for_individuals forIndividuals, national FROM resources`,
    )
    .all() as Row[];
  const byId = new Map(
    rows.map((row) => [
      row.id,
      {
        ...row,
        forIndividuals: row.forIndividuals === 1,
        national: row.national === 1,
        cells: [] as Cell[],
        serviceArea: [] as string[],
        locations: [] as CoverageResource['locations'][number][],
      },
    ]),
  );
  for (const c of sqlite
    .prepare('SELECT resource_id id, area, role, "group" FROM resource_cells')
    .all() as (Cell & {
    id: string;
  })[]) {
    byId.get(c.id)?.cells.push({ area: c.area, role: c.role, group: c.group });
  }
  for (const m of sqlite
    .prepare('SELECT resource_id id, municipality_code code FROM resource_municipalities')
    .all() as {
    id: string;
    code: string;
  }[]) {
    byId.get(m.id)?.serviceArea.push(m.code);
  }
  for (const l of sqlite
    .prepare(
      'SELECT resource_id id, visibility, municipality_code municipality, lat, lon FROM resource_locations',
    )
    .all() as (CoverageResource['locations'][number] & { id: string })[]) {
    const { id, ...location } = l;
    byId.get(id)?.locations.push(location);
  }
  return [...byId.values()];
}

function countyPlace(code: string): CoveragePlace {
  const county = app.places.counties.get(code);
  if (!county) throw new Error(code);
  return {
    type: 'county',
    code,
    name: county.name,
    county: { code, name: county.name },
    municipalities: app.places.municipalitiesOfCounty(code),
  };
}

const places: CoveragePlace[] = [
  countyPlace('06'),
  countyPlace('14'),
  countyPlace('01'),
  {
    type: 'subregion',
    code: 'skaraborg',
    name: 'Skaraborg',
    county: { code: '14', name: 'Västra Götalands län' },
    municipalities: app.places.municipalitiesOfSubregion('skaraborg'),
  },
  {
    type: 'municipality',
    code: '0680',
    name: 'Jönköping',
    county: { code: '06', name: 'Jönköpings län' },
    municipalities: [app.places.municipalities.get('0680') as never],
  },
];

/** The report from everything in the database, computed without the repository's narrowing. */
function naiveReport(place: CoveragePlace, cells: readonly Cell[], at: string) {
  return coverageReport({
    place,
    inventory: latestInventories(db).get(place.county.code) ?? null,
    at,
    cells,
    resources: allResources(),
    seats: app.places.municipalities,
  });
}

const supportAsLists = (support: ReturnType<typeof cellSupport>) =>
  Object.fromEntries(
    [...support].map(([key, s]) => [key, { regional: [...s.regional].sort(), national: s.national }]),
  );

const allCells = app.vocabulary.cells();
const kast: Cell = { area: 'prostitution-trafficking', role: 'perpetrator', group: 'men' };

t.test('the curated data: the narrowed load gives the same reports as reading everything', async (t) => {
  for (const place of places) {
    for (const at of ['2013-12-31', '2014-01-01', '2026-01-01']) {
      t.same(
        coverageOfPlace(db, app.places, { place, cells: allCells, at }),
        naiveReport(place, allCells, at),
      );
    }
  }
  t.same(
    supportAsLists(loadCellSupport(db, { cells: allCells, at: '2026-01-01' })),
    supportAsLists(cellSupport(allResources(), allCells, '2026-01-01')),
  );
});

t.test('a place loads the resources that serve it, national ones, and located ones for reach', async (t) => {
  const at = '2026-01-01';
  const jonkoping = app.places.municipalitiesOfCounty('06').map((m) => m.code);
  const loaded = loadCoverageResources(db, { municipalities: jonkoping, cells: allCells, at });
  const byName = new Map(loaded.map((r) => [r.name, r]));
  t.ok(byName.has('Barnahus Jönköpings län'), 'serves the county');
  t.ok(byName.has('Kvinnofridslinjen'), 'national');
  t.same(
    byName.get('KAST Göteborg')?.serviceArea,
    [],
    'located elsewhere: for reach, with no service area here',
  );
  t.notOk(byName.has('Utväg Skaraborg'), 'neither serves the place nor has a location');
  t.notOk(
    [...byName.keys()].some((name) => name.startsWith('VKV')),
    'professionals only',
  );
  t.notOk(
    [...byName.keys()].some((name) => name.startsWith('Resurscentrum mot hedersrelaterat')),
    'planned',
  );
  t.ok(loaded.length < allResources().length, 'not every resource');

  const forKast = loadCoverageResources(db, { municipalities: jonkoping, cells: [kast], at });
  t.same(forKast.map((r) => r.name).sort(), ['KAST Borås', 'KAST Göteborg', 'PrevenTell']);
  t.same(forKast.find((r) => r.name === 'PrevenTell')?.locations, [], 'national locations are not read');
  t.same(loadCoverageResources(db, { municipalities: jonkoping, cells: [], at }), []);
});

// Random resources stored through the same validation and storage as the seed and the import.
const municipalityPool = ['0680', '0604', '0687', '1480', '1490', '1496', '1487', '0180', '2584'];
const datePool = ['2013-12-31', '2014-01-01', '2020-06-01', '2024-01-01', '2026-06-01'];
const today = new Date().toISOString().slice(0, 10);

const entryArb = fc.record({
  status: fc.constantFrom('active', 'planned', 'inactive', 'closed'),
  activeFrom: fc.option(fc.constantFrom(...datePool), { nil: undefined }),
  activeUntil: fc.option(fc.constantFrom(...datePool), { nil: undefined }),
  audiences: fc.constantFrom<ResourceInput['audiences']>(
    ['individuals'],
    ['professionals'],
    ['individuals', 'professionals'],
  ),
  national: fc.boolean(),
  cells: fc.subarray(allCells, { minLength: 1, maxLength: 6 }),
  municipalities: fc.subarray(municipalityPool, { minLength: 1 }),
  counties: fc.subarray(['06', '14'], { maxLength: 1 }),
  locations: fc.array(
    fc.record({
      visibility: fc.constantFrom('public', 'confidential'),
      municipality: fc.constantFrom(...municipalityPool),
      coordinates: fc.option(
        fc.record({
          lat: fc.double({ min: 56, max: 66, noNaN: true }),
          lon: fc.double({ min: 12, max: 20, noNaN: true }),
        }),
        { nil: undefined },
      ),
    }),
    { maxLength: 2 },
  ),
});

function toEntry(e: typeof entryArb extends fc.Arbitrary<infer E> ? E : never, i: number): ResourceInput {
  const [activeFrom, activeUntil] =
    e.activeFrom && e.activeUntil && e.activeFrom > e.activeUntil
      ? [e.activeUntil, e.activeFrom]
      : [e.activeFrom, e.activeUntil];
  return resourceInput({
    id: randomUUID(),
    name: `Slump ${i}`,
    status: e.status,
    ...(activeFrom ? { activeFrom } : {}),
    ...(activeUntil ? { activeUntil } : {}),
    audiences: e.audiences,
    cells: e.cells,
    serviceArea: e.national
      ? { national: true }
      : { municipalities: e.municipalities, ...(e.counties.length ? { counties: e.counties } : {}) },
    locations: e.locations.map((l) =>
      l.visibility === 'confidential' || !l.coordinates
        ? { visibility: l.visibility, municipality: l.municipality }
        : { visibility: 'public', municipality: l.municipality, ...l.coordinates },
    ),
    lastVerified: '2020-01-01',
  });
}

t.test('random resources: the SQL filter and the narrowed load agree with reading everything', async (t) => {
  const context = { places: app.places, vocabulary: app.vocabulary, today };
  fc.assert(
    fc.property(
      fc.array(entryArb, { minLength: 1, maxLength: 8 }),
      fc.constantFrom(...places),
      fc.constantFrom(...datePool, today),
      fc.subarray(allCells, { minLength: 1 }),
      (entries, place, at, cells) => {
        const inputs = entries.map(toEntry);
        storeDataset(app.database, parseDataset(inputs, 'random', context), new Date().toISOString());
        try {
          deepStrictEqual(
            coverageOfPlace(db, app.places, { place, cells, at }),
            naiveReport(place, cells, at),
          );
          deepStrictEqual(
            supportAsLists(loadCellSupport(db, { cells, at })),
            supportAsLists(cellSupport(allResources(), cells, at)),
          );
        } finally {
          const ids = inputs.map((input) => input.id as string);
          sqlite.prepare(`DELETE FROM resources WHERE id IN (${ids.map(() => '?').join(',')})`).run(...ids);
        }
      },
    ),
    { numRuns: 60 },
  );
  t.pass('60 random datasets agree');
});
