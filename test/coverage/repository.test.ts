// The coverage index is the read model's (built with it, replaced after a write); what it gives must be
// what the domain's definitions give on everything in the database. Checked against the plain reference on the
// curated data and on random resources stored through the real path, and through the API after writes.

import { deepStrictEqual } from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import t from 'tap';
import type { CountyInput, CoveragePlace, CoverageResource } from '../../src/coverage/compute.js';
import { coverageOfCountry, coverageOfPlace } from '../../src/coverage/repository.js';
import type { SupportIndex } from '../../src/coverage/support-index.js';
import { datasetVersion } from '../../src/db/dataset-version.js';
import { sqliteDatabase } from '../../src/db/plugin.js';
import { latestInventories } from '../../src/places/repository.js';
import { parseDataset, storeDataset } from '../../src/resources/dataset.js';
import { saveResource } from '../../src/resources/repository.js';
import type { ResourceInput } from '../../src/resources/schemas.js';
import { validateResource } from '../../src/resources/validation.js';
import type { Cell } from '../../src/vocabulary/vocabulary.js';
import { buildTestApp, request } from '../helpers/app.js';
import { resourceInput } from '../helpers/fixtures.js';
import { referenceCountyOverview, referenceReport } from './reference.js';

const app = await buildTestApp(t);
const { db, sqlite } = sqliteDatabase(app);

/** Every resource in the database, with its whole service area: what a naive loader would read. */
function allResources(): CoverageResource[] {
  type Row = Omit<CoverageResource, 'forIndividuals' | 'national' | 'cells' | 'serviceArea' | 'locations'> & {
    forIndividuals: number;
    national: number;
  };
  const rows = sqlite
    .prepare(
      `SELECT id, name, kind, status, active_from activeFrom, active_until activeUntil,
              source_seen sourceSeen, for_individuals forIndividuals, national FROM resources`,
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

/** The place's report from the index, in the shape the reference gives. */
function indexedReport(support: SupportIndex, place: CoveragePlace, cells: readonly Cell[], at: string) {
  const {
    summary,
    cells: reported,
    gaps,
  } = coverageOfPlace(support, { place, cells, at }, latestInventories(db));
  return { summary, cells: reported, gaps };
}

/** The reference report from everything in the database, read plainly. */
function referenceOf(place: CoveragePlace, cells: readonly Cell[], at: string) {
  return referenceReport({
    place,
    inventory: latestInventories(db).get(place.county.code) ?? null,
    at,
    cells,
    resources: allResources(),
    seats: app.places.municipalities,
  });
}

/** The national overview's rows from the reference, one county report each (reach is not needed). */
function referenceOverview(cells: readonly Cell[], at: string) {
  const inventories = latestInventories(db);
  const resources = allResources().map((r) => ({ ...r, locations: [] }));
  return [...app.places.counties.values()].map((county) => {
    const input: CountyInput = {
      code: county.code,
      name: county.name,
      inventory: inventories.get(county.code) ?? null,
      municipalities: app.places.municipalitiesOfCounty(county.code),
    };
    return referenceCountyOverview(input, { at, cells, resources, seats: app.places.municipalities });
  });
}

const allCells = app.vocabulary.cells();

t.test('the curated data: the index gives the reference reports and overview', async (t) => {
  const index = app.readModel.current().support;
  for (const place of places) {
    for (const at of ['2013-12-31', '2014-01-01', '2026-01-01']) {
      t.same(
        indexedReport(index, place, allCells, at),
        referenceOf(place, allCells, at),
        `${place.code} ${at}`,
      );
    }
  }
  for (const at of ['2013-12-31', '2026-01-01']) {
    t.same(
      coverageOfCountry(app.places, index, { cells: allCells, at }, latestInventories(db)).counties,
      referenceOverview(allCells, at),
      `national ${at}`,
    );
  }
});

t.test('the index holds every resource, with the raw facts coverage needs', async (t) => {
  const { support: index, version } = app.readModel.current();
  t.equal(version, datasetVersion(sqlite));
  t.equal(index.size, allResources().length, 'every resource, counted or not');
  t.equal(index.municipalities.length, 290, 'every municipality: service areas hold positions in it');
  t.same(index.cells, allCells, 'the matrix, one bit per cell');
  const named = (name: string) => index.names.indexOf(name);
  const kast = named('KAST Göteborg');
  t.ok(kast >= 0);
  t.same(
    [...index.area.subarray(index.areaStart[kast], index.areaStart[kast + 1])].map(
      (m) => index.municipalities[m],
    ),
    allResources().find((r) => r.name === 'KAST Göteborg')?.serviceArea,
    'its service area',
  );
  t.ok((index.pointStart[kast + 1] as number) > (index.pointStart[kast] as number), 'located');
  const line = named('Kvinnofridslinjen');
  t.equal(index.national[line], 1);
  t.equal(index.pointStart[line + 1], index.pointStart[line], 'a national line has no point for reach');
  t.equal(index.areaStart[line + 1], index.areaStart[line], 'nor a service area: it serves everyone');
  t.ok(index.terms.length < index.size, 'resources share their counting terms');
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

t.test('random resources: the index agrees with the reference, and each write replaces it', async (t) => {
  const context = { places: app.places, vocabulary: app.vocabulary, today };
  const live = () => app.readModel.current().support;
  const jonkoping = places[0] as CoveragePlace;
  let rebuilt = 0;
  let previous = live();
  fc.assert(
    fc.property(
      fc.array(entryArb, { minLength: 1, maxLength: 8 }),
      fc.constantFrom(...places),
      fc.constantFrom(...datePool, today),
      fc.subarray(allCells, { minLength: 1 }),
      (entries, place, at, cells) => {
        const inputs = entries.map(toEntry);
        storeDataset(sqliteDatabase(app), parseDataset(inputs, 'random', context), new Date().toISOString());
        try {
          const support = live();
          if (support !== previous) rebuilt += 1;
          previous = support;
          deepStrictEqual(indexedReport(support, place, cells, at), referenceOf(place, cells, at));
          deepStrictEqual(
            indexedReport(support, jonkoping, allCells, at),
            referenceOf(jonkoping, allCells, at),
          );
          deepStrictEqual(
            coverageOfCountry(app.places, support, { cells, at }, latestInventories(db)).counties,
            referenceOverview(cells, at),
          );
        } finally {
          const ids = inputs.map((input) => input.id as string);
          const list = ids.map(() => '?').join(',');
          // Imports record history (the change feed); plain SQL removes it first, as no API path does.
          sqlite.prepare(`DELETE FROM resource_history WHERE resource_id IN (${list})`).run(...ids);
          sqlite.prepare(`DELETE FROM resources WHERE id IN (${list})`).run(...ids);
        }
      },
    ),
    { numRuns: 60 },
  );
  t.pass('60 random datasets agree');
  t.equal(rebuilt, 60, 'every stored dataset gave a new index');
  t.equal(live(), live(), 'without a write, the same index');
});

t.test('a write through saveResource shows in the next report', async (t) => {
  const url = '/v1/coverage?county=06&area=sexual-violence&role=subjected&group=men';
  const cellOf = async () => (await request(app, url)).body.cells[0];
  const before = await cellOf();
  t.equal(before.status, 'national-only', 'the curated data: nothing regional for men');

  const context = { places: app.places, vocabulary: app.vocabulary, today, newId: randomUUID };
  const save = (input: ResourceInput) => {
    const result = validateResource(input, context);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    db.transaction((tx) => saveResource(tx, result.resource, new Date().toISOString()));
  };
  const id = randomUUID();
  const entry = resourceInput({
    id,
    name: 'Mansmottagningen Jönköping',
    cells: [{ area: 'sexual-violence', role: 'subjected', group: 'men' }],
    serviceArea: { municipalities: ['0680'] },
    locations: [{ visibility: 'confidential', municipality: '0680' }],
  });
  save(entry);
  const created = await cellOf();
  t.equal(created.status, 'partial', 'created: Jönköping now has regional support');
  t.same(
    created.resources.map((r: { name: string }) => r.name),
    ['Mansmottagningen Jönköping', ...before.resources.map((r: { name: string }) => r.name)],
  );
  t.ok(created.reach.maxKm > 0, 'and the others reach it in Jönköping');

  save({ ...entry, serviceArea: { counties: ['06'] } });
  t.equal((await cellOf()).status, 'covered', 'updated: the whole county');

  save({ ...entry, serviceArea: { counties: ['06'] }, status: 'closed', activeUntil: '2020-01-01' });
  t.same(await cellOf(), before, 'closed: as before');

  save({ ...entry, serviceArea: { counties: ['06'] } });
  t.equal((await cellOf()).status, 'covered');
  sqlite.prepare('DELETE FROM resources WHERE id = ?').run(id);
  t.same(await cellOf(), before, 'deleted: as before');

  const national = await request(app, '/v1/coverage/national?area=sexual-violence&role=subjected&group=men');
  const row = national.body.counties.find((c: { county: { code: string } }) => c.county.code === '06');
  t.same(
    row.summary,
    {
      covered: 0,
      partial: 0,
      partlyKnown: 0,
      noneKnown: 0,
      nationalOnly: 1,
      gap: 0,
      notInventoried: 0,
    },
    'the overview too',
  );
});
