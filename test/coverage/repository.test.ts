// The coverage index is the read model's (built with it, replaced after a write); what it gives must be
// what the domain's definitions give on everything in the database. Checked against the plain reference on the
// curated data and on random resources stored through the real path, and through the API after writes.
// The reference reads the tables with plain SQL on either engine (PostgreSQL keeps a point, not lat and lon).

import { deepStrictEqual } from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import t from 'tap';
import { createToken } from '../../src/auth/tokens.js';
import type { CountyInput, CoveragePlace, CoverageResource } from '../../src/coverage/compute.js';
import { coverageOfCountry, coverageOfPlace } from '../../src/coverage/repository.js';
import type { SupportIndex } from '../../src/coverage/support-index.js';
import type { Inventory } from '../../src/places/repository.js';
import type { ResourceInput } from '../../src/resources/schemas.js';
import type { Cell } from '../../src/vocabulary/vocabulary.js';
import { buildTestApp, importEntries, queryRows, request } from '../helpers/app.js';
import { resourceInput } from '../helpers/fixtures.js';
import { referenceCountyOverview, referenceReport } from './reference.js';

const app = await buildTestApp(t);
const inventories = () => app.placeStore.latestInventories();

/** Every resource in the database, with its whole service area: what a naive loader would read. */
async function allResources(): Promise<CoverageResource[]> {
  // SQLite's booleans are 1 and 0; days are text there and `date` on PostgreSQL, read here as text.
  type Row = Omit<CoverageResource, 'forIndividuals' | 'national' | 'cells' | 'serviceArea' | 'locations'> & {
    forIndividuals: number | boolean;
    national: number | boolean;
  };
  const rows = await queryRows<Row>(
    app,
    `SELECT id, name, kind, status, CAST(active_from AS TEXT) AS "activeFrom",
            CAST(active_until AS TEXT) AS "activeUntil", CAST(source_seen AS TEXT) AS "sourceSeen",
            for_individuals AS "forIndividuals", national FROM resources`,
  );
  const byId = new Map(
    rows.map((row) => [
      row.id,
      {
        ...row,
        forIndividuals: row.forIndividuals === 1 || row.forIndividuals === true,
        national: row.national === 1 || row.national === true,
        cells: [] as Cell[],
        serviceArea: [] as string[],
        locations: [] as CoverageResource['locations'][number][],
      },
    ]),
  );
  for (const c of await queryRows<Cell & { id: string }>(
    app,
    'SELECT resource_id AS id, area, role, "group" FROM resource_cells',
  )) {
    byId.get(c.id)?.cells.push({ area: c.area, role: c.role, group: c.group });
  }
  for (const m of await queryRows<{ id: string; code: string }>(
    app,
    'SELECT resource_id AS id, municipality_code AS code FROM resource_municipalities',
  )) {
    byId.get(m.id)?.serviceArea.push(m.code);
  }
  const coordinates = app.store.engine === 'sqlite' ? 'lat, lon' : 'ST_Y(point) AS lat, ST_X(point) AS lon';
  for (const l of await queryRows<CoverageResource['locations'][number] & { id: string }>(
    app,
    `SELECT resource_id AS id, visibility, municipality_code AS municipality, ${coordinates}
     FROM resource_locations ORDER BY resource_id, position`,
  )) {
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
async function indexedReport(
  support: SupportIndex,
  place: CoveragePlace,
  cells: readonly Cell[],
  at: string,
) {
  const {
    summary,
    cells: reported,
    gaps,
  } = coverageOfPlace(support, { place, cells, at }, await inventories());
  return { summary, cells: reported, gaps };
}

/** The reference report from everything in the database, read plainly. */
async function referenceOf(place: CoveragePlace, cells: readonly Cell[], at: string) {
  return referenceReport({
    place,
    inventory: (await inventories()).get(place.county.code) ?? null,
    at,
    cells,
    resources: await allResources(),
    seats: app.places.municipalities,
  });
}

/** The national overview's rows from the reference, one county report each (reach is not needed). */
async function referenceOverview(cells: readonly Cell[], at: string) {
  const latest: Map<string, Inventory> = await inventories();
  const resources = (await allResources()).map((r) => ({ ...r, locations: [] }));
  return [...app.places.counties.values()].map((county) => {
    const input: CountyInput = {
      code: county.code,
      name: county.name,
      inventory: latest.get(county.code) ?? null,
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
        await indexedReport(index, place, allCells, at),
        await referenceOf(place, allCells, at),
        `${place.code} ${at}`,
      );
    }
  }
  for (const at of ['2013-12-31', '2026-01-01']) {
    t.same(
      coverageOfCountry(app.places, index, { cells: allCells, at }, await inventories()).counties,
      await referenceOverview(allCells, at),
      `national ${at}`,
    );
  }
});

t.test('the index holds every resource, with the raw facts coverage needs', async (t) => {
  const { support: index, version } = app.readModel.current();
  t.equal(version, await app.changeFeed.datasetVersion());
  const resources = await allResources();
  t.equal(index.size, resources.length, 'every resource, counted or not');
  t.equal(index.municipalities.length, 290, 'every municipality: service areas hold positions in it');
  t.same(index.cells, allCells, 'the matrix, one bit per cell');
  const named = (name: string) => index.names.indexOf(name);
  const kast = named('KAST Göteborg');
  t.ok(kast >= 0);
  t.same(
    [...index.area.subarray(index.areaStart[kast], index.areaStart[kast + 1])].map(
      (m) => index.municipalities[m],
    ),
    resources.find((r) => r.name === 'KAST Göteborg')?.serviceArea,
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
  const live = () => app.readModel.current().support;
  const jonkoping = places[0] as CoveragePlace;
  let rebuilt = 0;
  let previous = live();
  await fc.assert(
    fc.asyncProperty(
      fc.array(entryArb, { minLength: 1, maxLength: 8 }),
      fc.constantFrom(...places),
      fc.constantFrom(...datePool, today),
      fc.subarray(allCells, { minLength: 1 }),
      async (entries, place, at, cells) => {
        const inputs = entries.map(toEntry);
        await importEntries(app, inputs, { source: 'random', today });
        try {
          const support = live();
          if (support !== previous) rebuilt += 1;
          previous = support;
          deepStrictEqual(
            await indexedReport(support, place, cells, at),
            await referenceOf(place, cells, at),
          );
          deepStrictEqual(
            await indexedReport(support, jonkoping, allCells, at),
            await referenceOf(jonkoping, allCells, at),
          );
          deepStrictEqual(
            coverageOfCountry(app.places, support, { cells, at }, await inventories()).counties,
            await referenceOverview(cells, at),
          );
        } finally {
          await deleteResources(inputs.map((input) => input.id as string));
        }
      },
    ),
    { numRuns: 60 },
  );
  t.pass('60 random datasets agree');
  t.equal(rebuilt, 60, 'every stored dataset gave a new index');
  t.equal(live(), live(), 'without a write, the same index');
});

/**
 * Deletes resources with plain SQL, as no API path does (imports and writes record history, the change feed,
 * so that goes first), and waits until the read model has taken the deletion in.
 */
async function deleteResources(ids: string[]): Promise<void> {
  const list = ids.map(() => '?').join(',');
  await queryRows(app, `DELETE FROM resource_history WHERE resource_id IN (${list})`, ids);
  await queryRows(app, `DELETE FROM resources WHERE id IN (${list})`, ids);
  await app.readModel.caughtUp({ to: await app.changeFeed.datasetVersion() });
}

t.test('a write through the API shows in the next report', async (t) => {
  const url = '/v1/coverage?county=06&area=sexual-violence&role=subjected&group=men';
  const cellOf = async () => (await request(app, url)).body.cells[0];
  const before = await cellOf();
  t.equal(before.status, 'national-only', 'the curated data: nothing regional for men');

  const headers = {
    authorization: `Bearer ${await createToken(app.tokens, 'coverage-admin', { kind: 'admin' })}`,
  };
  let created = false;
  const save = async (input: ResourceInput) => {
    const response = await app.inject(
      created
        ? {
            method: 'PUT',
            url: `/v1/resources/${id}`,
            headers: { ...headers, 'if-match': '*' },
            payload: input,
          }
        : { method: 'POST', url: '/v1/resources', headers, payload: input },
    );
    t.equal(response.statusCode, created ? 200 : 201, `${input.status ?? 'active'}: saved`);
    created = true;
  };
  const id = randomUUID();
  const entry = resourceInput({
    id,
    name: 'Mansmottagningen Jönköping',
    cells: [{ area: 'sexual-violence', role: 'subjected', group: 'men' }],
    serviceArea: { municipalities: ['0680'] },
    locations: [{ visibility: 'confidential', municipality: '0680' }],
  });
  await save(entry);
  const afterCreate = await cellOf();
  t.equal(afterCreate.status, 'partial', 'created: Jönköping now has regional support');
  t.same(
    afterCreate.resources.map((r: { name: string }) => r.name),
    ['Mansmottagningen Jönköping', ...before.resources.map((r: { name: string }) => r.name)],
  );
  t.ok(afterCreate.reach.maxKm > 0, 'and the others reach it in Jönköping');

  await save({ ...entry, serviceArea: { counties: ['06'] } });
  t.equal((await cellOf()).status, 'covered', 'updated: the whole county');

  await save({ ...entry, serviceArea: { counties: ['06'] }, status: 'closed', activeUntil: '2020-01-01' });
  t.same(await cellOf(), before, 'closed: as before');

  await save({ ...entry, serviceArea: { counties: ['06'] } });
  t.equal((await cellOf()).status, 'covered');
  await deleteResources([id]);
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
