// The coverage computation against a brute-force reference written straight from the domain notes'
// definitions, on random places, resources, dates and locations.
import { deepStrictEqual } from 'node:assert/strict';
import fc from 'fast-check';
import t from 'tap';
import {
  type CountyInput,
  type CoverageInput,
  type CoverageResource,
  cellSupport,
  coverageReport,
  nationalOverview,
  nearestKm,
} from '../../src/coverage/compute.js';
import { distanceKm } from '../../src/places/geo.js';
import type { Cell } from '../../src/vocabulary/vocabulary.js';
import { largestGapOf, referenceReport } from './reference.js';

const codes = ['M0', 'M1', 'M2', 'M3', 'M4', 'M5'];
const cellUniverse: Cell[] = ['close-relationship', 'sexual-violence'].flatMap((area) =>
  ['subjected', 'perpetrator'].flatMap((role) => ['women', 'lgbtqi'].map((group) => ({ area, role, group }))),
);
// Few dates, so that `at` often falls exactly on an opening or closing day.
const dates = ['2019-12-31', '2020-01-01', '2020-06-15', '2021-01-01', '2021-06-15', '2022-01-01'];

const latitude = fc.double({ min: 55, max: 69, noNaN: true });
const longitude = fc.double({ min: 11, max: 24, noNaN: true });

const municipalitiesArb = fc.tuple(
  ...codes.map((code) =>
    fc.record({
      code: fc.constant(code),
      name: fc.constant(`Kommun ${code}`),
      population2016: fc.integer({ min: 0, max: 100_000 }),
      seatLat: latitude,
      seatLon: longitude,
    }),
  ),
);

const resourceArb = fc.record({
  // Repeated and differently cased names exercise the ordering tie-breaks.
  name: fc.constantFrom('Alfa', 'alfa', 'Åby', 'Ärla', 'Beta', 'Zeta', 'Östra'),
  kind: fc.constantFrom('kvinnojour', 'barnahus'),
  status: fc.constantFrom('active', 'planned', 'inactive', 'closed'),
  activeFrom: fc.option(fc.constantFrom(...dates), { nil: null }),
  activeUntil: fc.option(fc.constantFrom(...dates), { nil: null }),
  // When the main source was seen: before or after the inventory, or a report (none).
  sourceSeen: fc.option(fc.constantFrom('2019-01-01', '2019-06-30', '2020-06-15'), { nil: null }),
  forIndividuals: fc.boolean(),
  national: fc.boolean(),
  cells: fc.subarray(cellUniverse),
  serviceArea: fc.subarray(codes),
  locations: fc.array(
    fc.record({
      visibility: fc.constantFrom('public', 'confidential'),
      municipality: fc.constantFrom(...codes),
      coordinates: fc.option(fc.record({ lat: latitude, lon: longitude }), { nil: null }),
    }),
    { maxLength: 2 },
  ),
});

const worldArb = fc.record({
  municipalities: municipalitiesArb,
  place: fc.subarray(codes, { minLength: 1 }),
  cells: fc.subarray(cellUniverse, { minLength: 1 }),
  resources: fc.array(resourceArb, { maxLength: 12 }),
  at: fc.constantFrom(...dates),
  inventoried: fc.boolean(),
  completeness: fc.constantFrom('complete' as const, 'selection' as const),
  notAssessed: fc.subarray([
    { area: 'sexual-violence', role: 'perpetrator' },
    { group: 'lgbtqi' },
    { area: 'close-relationship', role: 'subjected', group: 'women' },
  ]),
});
type World = typeof worldArb extends fc.Arbitrary<infer W> ? W : never;

function toResources(world: World): CoverageResource[] {
  return world.resources.map((r, i) => ({
    id: `r${String(i).padStart(2, '0')}`,
    name: r.name,
    kind: r.kind,
    status: r.status,
    activeFrom: r.activeFrom,
    activeUntil: r.activeUntil,
    datedOn:
      [r.activeFrom, r.sourceSeen]
        .filter((d) => d !== null)
        .sort()
        .at(-1) ?? null,
    forIndividuals: r.forIndividuals,
    national: r.national,
    cells: r.cells,
    serviceArea: r.serviceArea,
    locations: r.locations.map((l) => ({
      visibility: l.visibility,
      municipality: l.municipality,
      // A confidential location never has coordinates.
      lat: l.visibility === 'public' ? (l.coordinates?.lat ?? null) : null,
      lon: l.visibility === 'public' ? (l.coordinates?.lon ?? null) : null,
    })),
  }));
}

const inventory = {
  completedOn: '2019-06-30',
  completeness: 'complete' as 'complete' | 'selection',
  source: { title: 'Kartläggning' },
  notAssessed: [] as { area?: string; role?: string; group?: string }[],
};

function toInput(world: World): CoverageInput {
  const place = world.municipalities.filter((m) => world.place.includes(m.code));
  return {
    place: {
      type: 'county',
      code: 'X',
      name: 'X län',
      county: { code: 'X', name: 'X län' },
      municipalities: place,
    },
    inventory: world.inventoried
      ? { ...inventory, completeness: world.completeness, notAssessed: world.notAssessed }
      : null,
    at: world.at,
    cells: world.cells,
    resources: toResources(world),
    seats: new Map(world.municipalities.map((m) => [m.code, m])),
  };
}

t.test('coverageReport equals the brute-force reference', async (t) => {
  fc.assert(
    fc.property(worldArb, (world) => {
      const input = toInput(world);
      const { summary, cells, gaps } = coverageReport(input);
      deepStrictEqual({ summary, cells, gaps }, referenceReport(input));
    }),
    { numRuns: 500 },
  );
  t.pass('500 random worlds agree');
});

t.test('the national overview agrees with each county report', async (t) => {
  fc.assert(
    fc.property(worldArb, fc.subarray(codes), fc.boolean(), (world, inFirst, secondInventoried) => {
      const input = toInput(world);
      const split = [
        world.municipalities.filter((m) => inFirst.includes(m.code)),
        world.municipalities.filter((m) => !inFirst.includes(m.code)),
      ].filter((ms) => ms.length > 0);
      const counties: CountyInput[] = split.map((municipalities, i) => ({
        code: `C${i}`,
        name: `Län ${i}`,
        inventory: i === 0 ? input.inventory : secondInventoried ? inventory : null,
        municipalities,
      }));
      const overview = nationalOverview({
        at: world.at,
        cells: world.cells,
        counties,
        support: cellSupport(input.resources, world.cells, world.at),
      });
      counties.forEach((county, i) => {
        const report = coverageReport({
          ...input,
          inventory: county.inventory,
          place: { ...input.place, municipalities: county.municipalities },
        });
        const row = overview.counties[i];
        deepStrictEqual(row?.summary, report.summary);
        deepStrictEqual(row?.largestGap, largestGapOf(report));
      });
    }),
    { numRuns: 300 },
  );
  t.pass('300 random partitions agree');
});

t.test('nearestKm equals the minimum over all points', async (t) => {
  const point = fc.record({ lat: latitude, lon: longitude });
  fc.assert(
    fc.property(point, fc.array(point, { maxLength: 40 }), (from, points) => {
      const sorted = [...points].sort((a, b) => a.lat - b.lat);
      const expected = points.length === 0 ? null : Math.min(...points.map((p) => distanceKm(from, p)));
      deepStrictEqual(nearestKm(from, sorted), expected);
    }),
    { numRuns: 1000 },
  );
  t.pass('1000 random point sets agree');
});
