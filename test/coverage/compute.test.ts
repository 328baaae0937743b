// The coverage definitions of the domain notes, one hand-built case at a time, on the pure computation.
import t from 'tap';
import {
  type CellCoverage,
  cellSupport,
  countsAt,
  coverageReport,
  median,
  nationalOverview,
  nearestKm,
} from '../../src/coverage/compute.js';
import { distanceKm } from '../../src/places/geo.js';
import {
  a2,
  a3,
  b1,
  buyers,
  counties,
  countyA,
  countyB,
  input,
  inventory,
  men,
  resource,
  selection,
  women,
} from './fixtures.js';

const cellOf = (cells: CellCoverage[], group: string, area = 'close-relationship') =>
  cells.find((c) => c.group === group && c.area === area) as CellCoverage;
const names = (cell: CellCoverage) => cell.resources.map((r) => r.name);
const a2Seat = { lat: a2.seatLat, lon: a2.seatLon };
const a3Seat = { lat: a3.seatLat, lon: a3.seatLon };
const b1Seat = { lat: b1.seatLat, lon: b1.seatLon };

t.test('covered: every municipality has regional support', async (t) => {
  const shelter = resource({ name: 'Kvinnojouren' });
  const report = coverageReport(input({ resources: [shelter] }));
  const cell = cellOf(report.cells, 'women');
  t.equal(cell.status, 'covered');
  t.same(cell.lackingMunicipalities, []);
  t.equal(cell.affectedPopulation, 0);
  t.same(cell.resources, [
    { id: shelter.id, name: 'Kvinnojouren', kind: 'kvinnojour', afterInventory: false },
  ]);
  t.same(cell.reach, { medianKm: null, maxKm: null });
  t.same(
    report.gaps.map((g) => g.group),
    ['men', 'men'],
    'the other two cells are gaps; covered cells are not listed',
  );
});

t.test('partial: some municipalities, naming the others and their population', async (t) => {
  const report = coverageReport(input({ resources: [resource({ serviceArea: ['A1'] })] }));
  const cell = cellOf(report.cells, 'women');
  t.equal(cell.status, 'partial');
  t.same(cell.lackingMunicipalities, [
    { code: 'A2', name: 'Bro' },
    { code: 'A3', name: 'Cala' },
  ]);
  t.equal(cell.affectedPopulation, 500);
});

t.test('national-only: national lines serve everyone but make no municipality regional', async (t) => {
  const line = resource({ name: 'Kvinnofridslinjen', kind: 'stodlinje', national: true, serviceArea: [] });
  const report = coverageReport(input({ resources: [line] }));
  const cell = cellOf(report.cells, 'women');
  t.equal(cell.status, 'national-only');
  t.equal(cell.lackingMunicipalities.length, 3);
  t.equal(cell.affectedPopulation, 600);
  t.same(names(cell), ['Kvinnofridslinjen']);

  const withRegional = coverageReport(input({ resources: [line, resource({ serviceArea: ['A2'] })] }));
  t.equal(cellOf(withRegional.cells, 'women').status, 'partial', 'a national line does not fill the rest');
});

t.test('gap: nothing at all', async (t) => {
  const report = coverageReport(input());
  for (const cell of report.cells) {
    t.equal(cell.status, 'gap');
    t.equal(cell.affectedPopulation, 600);
    t.same(cell.resources, []);
  }
  t.same(report.summary, {
    covered: 0,
    partial: 0,
    partlyKnown: 0,
    noneKnown: 0,
    nationalOnly: 0,
    gap: 3,
    notInventoried: 0,
  });
});

t.test('unknown: a place that is not inventoried reports no gaps', async (t) => {
  const line = resource({ name: 'Kvinnofridslinjen', national: true, serviceArea: [] });
  const report = coverageReport(input({ inventory: null, resources: [line] }));
  t.equal(report.inventoried, false);
  t.equal(report.inventory, null);
  t.same(report.summary, {
    covered: 0,
    partial: 0,
    partlyKnown: 0,
    noneKnown: 0,
    nationalOnly: 0,
    gap: 0,
    notInventoried: 3,
  });
  t.same(report.gaps, []);
  const cell = cellOf(report.cells, 'women');
  t.equal(cell.status, 'not-inventoried');
  t.same(cell.lackingMunicipalities, []);
  t.equal(cell.affectedPopulation, 0);
  t.same(names(cell), ['Kvinnofridslinjen'], 'what is known to serve the place is still listed');
});

t.test('a resource spanning two counties counts in both, for its municipalities only', async (t) => {
  const spanning = resource({ name: 'Gränsjouren', serviceArea: ['A3', 'B1'] });
  const inA = cellOf(coverageReport(input({ resources: [spanning] })).cells, 'women');
  t.equal(inA.status, 'partial');
  t.same(
    inA.lackingMunicipalities.map((m) => m.code),
    ['A1', 'A2'],
  );
  t.same(names(inA), ['Gränsjouren']);
  const inB = cellOf(coverageReport(input({ place: countyB, resources: [spanning] })).cells, 'women');
  t.equal(inB.status, 'covered');

  const elsewhere = resource({ name: 'Bara B', serviceArea: ['B1'] });
  const notInA = cellOf(coverageReport(input({ resources: [elsewhere] })).cells, 'women');
  t.equal(notInA.status, 'gap');
  t.same(notInA.resources, [], 'a resource serving only another county is not listed');
});

t.test('support for professionals only never counts', async (t) => {
  const consultation = resource({ forIndividuals: false });
  const report = coverageReport(input({ resources: [consultation] }));
  t.equal(cellOf(report.cells, 'women').status, 'gap');
  t.same(cellOf(report.cells, 'women').resources, []);
  t.notOk(countsAt(consultation, '2024-06-01'));
  const nationalConsultation = resource({ forIndividuals: false, national: true, serviceArea: [] });
  t.equal(
    cellOf(coverageReport(input({ resources: [nationalConsultation] })).cells, 'women').status,
    'gap',
    'nor does a national line for professionals',
  );
});

t.test('planned and inactive never count, whatever their dates', async (t) => {
  for (const status of ['planned', 'inactive'] as const) {
    const r = resource({ status, activeFrom: '2020-01-01' });
    t.notOk(countsAt(r, '2024-06-01'), status);
    t.equal(cellOf(coverageReport(input({ resources: [r] })).cells, 'women').status, 'gap', status);
  }
});

t.test('closed: counts only before the date it closed', async (t) => {
  const closed = resource({ status: 'closed', activeFrom: '2015-01-01', activeUntil: '2022-01-01' });
  t.ok(countsAt(closed, '2021-12-31'), 'the day before it closed');
  t.notOk(countsAt(closed, '2022-01-01'), 'the day it closed');
  t.notOk(countsAt(closed, '2014-12-31'), 'before it opened');
  t.notOk(countsAt(resource({ status: 'closed' }), '2000-01-01'), 'closed without a date: never');
  t.equal(
    cellOf(coverageReport(input({ at: '2021-06-01', resources: [closed] })).cells, 'women').status,
    'covered',
  );
  t.equal(
    cellOf(coverageReport(input({ at: '2024-06-01', resources: [closed] })).cells, 'women').status,
    'gap',
  );
});

t.test('`at` before and after a resource opened; an active one with an end date', async (t) => {
  const opened = resource({ activeFrom: '2014-01-01' });
  const before = coverageReport(input({ at: '2013-12-31', resources: [opened] }));
  const onTheDay = coverageReport(input({ at: '2014-01-01', resources: [opened] }));
  t.equal(before.at, '2013-12-31');
  t.equal(cellOf(before.cells, 'women').status, 'gap');
  t.equal(cellOf(onTheDay.cells, 'women').status, 'covered');

  const ending = resource({ activeUntil: '2025-01-01' });
  t.ok(countsAt(ending, '2024-12-31'));
  t.notOk(countsAt(ending, '2025-01-01'));
});

t.test('resources: regional first, then by name in Swedish order; each once', async (t) => {
  const report = coverageReport(
    input({
      cells: [women],
      resources: [
        resource({ name: 'Älvsborgsjouren', serviceArea: ['A1'] }),
        resource({ name: 'Aaa-linjen', national: true, serviceArea: [] }),
        resource({ name: 'Zeta', serviceArea: ['A2', 'A3'] }),
        resource({ name: 'Borås', serviceArea: ['A1', 'B1'] }),
      ],
    }),
  );
  t.same(names(report.cells[0] as CellCoverage), ['Borås', 'Zeta', 'Älvsborgsjouren', 'Aaa-linjen']);
});

t.test('reach: distance from each lacking seat to the nearest located regional resource', async (t) => {
  // Serves A1 only, and receives people in A1's seat (public coordinates) and, confidentially, in B1.
  const local = resource({
    serviceArea: ['A1'],
    locations: [
      { visibility: 'public', municipality: 'A1', lat: 57, lon: 14 },
      { visibility: 'confidential', municipality: 'B1', lat: null, lon: null },
    ],
  });
  // A national line's locations are never a place to travel to for regional support.
  const line = resource({
    national: true,
    serviceArea: [],
    locations: [{ visibility: 'public', municipality: 'A3', lat: 58, lon: 14 }],
  });
  const cell = cellOf(coverageReport(input({ resources: [local, line] })).cells, 'women');
  const fromA2 = distanceKm({ lat: 57.5, lon: 14 }, { lat: 57, lon: 14 });
  const fromA3 = Math.min(distanceKm({ lat: 58, lon: 14 }, { lat: 57, lon: 14 }), distanceKm(a3Seat, b1Seat));
  t.same(cell.reach, {
    medianKm: Math.round(((fromA2 + fromA3) / 2) * 10) / 10,
    maxKm: Math.round(Math.max(fromA2, fromA3) * 10) / 10,
  });
  t.ok((cell.reach.maxKm as number) > 50 && (cell.reach.maxKm as number) < 120, 'about 111 km');

  // A resource elsewhere, serving B only but located near A3, is the nearest for A3.
  const nearby = resource({
    serviceArea: ['B1'],
    locations: [{ visibility: 'public', municipality: 'B1', lat: 58.01, lon: 14 }],
  });
  const withNearby = cellOf(coverageReport(input({ resources: [local, nearby] })).cells, 'women');
  t.equal(withNearby.reach.maxKm, Math.round(fromA2 * 10) / 10, 'A3 is now ~1 km away; A2 is the farthest');

  const unlocated = cellOf(
    coverageReport(input({ resources: [resource({ serviceArea: ['A1'] })] })).cells,
    'women',
  );
  t.same(unlocated.reach, { medianKm: null, maxKm: null }, 'no located resource: null');
  const publicWithoutCoordinates = resource({
    serviceArea: ['A1'],
    locations: [{ visibility: 'public', municipality: 'A3', lat: null, lon: null }],
  });
  const atSeat = cellOf(coverageReport(input({ resources: [publicWithoutCoordinates] })).cells, 'women');
  t.equal(atSeat.reach.medianKm, Math.round(distanceKm(a2Seat, a3Seat) * 5) / 10, 'median of 0 and A2–A3');
});

t.test('gaps: not covered, largest affected population first, then the worse status', async (t) => {
  const report = coverageReport(
    input({
      resources: [
        resource({ cells: [women], serviceArea: ['A3'] }),
        resource({ cells: [buyers], national: true, serviceArea: [] }),
      ],
    }),
  );
  t.same(
    report.gaps.map((g) => [g.group, g.status, g.affectedPopulation]),
    [
      ['men', 'gap', 600],
      ['men', 'national-only', 600],
      ['women', 'partial', 300],
    ],
  );
  t.same(report.summary, {
    covered: 0,
    partial: 1,
    partlyKnown: 0,
    noneKnown: 0,
    nationalOnly: 1,
    gap: 1,
    notInventoried: 0,
  });
});

t.test('the place: type, county, municipality count and population', async (t) => {
  const report = coverageReport(input());
  t.same(report.place, {
    type: 'county',
    code: 'A',
    name: 'A län',
    county: { code: 'A', name: 'A län' },
    municipalityCount: 3,
    population2016: 600,
  });
  t.same(report.inventory, inventory);
  t.same(
    report.cells.map((c) => [c.area, c.role, c.group]),
    [women, men, buyers].map((c) => [c.area, c.role, c.group]),
    'cells in the order asked for',
  );
});

t.test('national overview: one row per county from one support table', async (t) => {
  const resources = [
    resource({ cells: [women], serviceArea: ['A1', 'A2'] }),
    resource({ cells: [men], national: true, serviceArea: [] }),
  ];
  const cells = [women, men, buyers];
  const overview = nationalOverview({
    at: '2024-06-01',
    cells,
    counties,
    support: cellSupport(resources, cells, '2024-06-01'),
  });
  const [a, b] = overview.counties;
  t.same(a?.summary, {
    covered: 0,
    partial: 1,
    partlyKnown: 0,
    noneKnown: 0,
    nationalOnly: 1,
    gap: 1,
    notInventoried: 0,
  });
  t.same(a?.largestGap, { ...buyers, status: 'gap', affectedPopulation: 600, lackingMunicipalityCount: 3 });
  t.equal(a?.population2016, 600);
  t.same(
    b?.summary,
    {
      covered: 0,
      partial: 0,
      partlyKnown: 0,
      noneKnown: 0,
      nationalOnly: 0,
      gap: 0,
      notInventoried: 3,
    },
    'B is not inventoried',
  );
  t.equal(b?.largestGap, null);
  t.equal(b?.inventoried, false);

  const report = coverageReport(input({ place: countyA, cells, resources }));
  t.same(a?.summary, report.summary, 'the same statuses as the county report');
});

t.test('nearestKm and median', async (t) => {
  t.equal(nearestKm({ lat: 57, lon: 14 }, []), null);
  const points = [
    { lat: 55.6, lon: 13 },
    { lat: 57.7, lon: 11.97 },
    { lat: 59.33, lon: 18.06 },
    { lat: 67.86, lon: 20.22 },
  ];
  const from = { lat: 57.78, lon: 14.16 };
  t.equal(nearestKm(from, points), Math.min(...points.map((p) => distanceKm(from, p))));
  t.equal(median([1]), 1);
  t.equal(median([1, 2]), 1.5);
  t.equal(median([1, 2, 10]), 2);
});

t.test('selection: what the source does not list is not known, never a gap', async (t) => {
  const line = resource({ name: 'Kvinnofridslinjen', kind: 'stodlinje', national: true, serviceArea: [] });
  const shelter = resource({ name: 'Kvinnojouren', serviceArea: ['A1'] });
  const everywhere = resource({ name: 'Barnahus', cells: [buyers] });
  const report = coverageReport(
    input({ inventory: selection, resources: [line, shelter, everywhere], cells: [women, men, buyers] }),
  );
  const women_ = cellOf(report.cells, 'women');
  t.equal(women_.status, 'partly-known', 'known support in A1, the rest not known');
  t.same(women_.lackingMunicipalities, [], 'nothing is said to lack');
  t.equal(women_.affectedPopulation, 0);
  t.same(
    women_.notKnownMunicipalities.map((m) => m.code),
    ['A2', 'A3'],
  );
  t.equal(women_.notKnownPopulation, 500);
  t.equal(women_.nationalSupport, true);
  t.equal(cellOf(report.cells, 'men').status, 'none-known', 'no regional support known, none national');
  t.equal(
    cellOf(report.cells, 'men', 'prostitution-trafficking').status,
    'covered',
    'covered needs no inventory method',
  );
  t.same(report.gaps, [], 'a selection names no gaps');
  t.same(report.summary, {
    covered: 1,
    partial: 0,
    partlyKnown: 1,
    noneKnown: 1,
    nationalOnly: 0,
    gap: 0,
    notInventoried: 0,
  });
  // The same world, inventoried completely, has findings.
  const complete = coverageReport(
    input({ resources: [line, shelter, everywhere], cells: [women, men, buyers] }),
  );
  t.same(
    complete.cells.map((c) => c.status),
    ['partial', 'gap', 'covered'],
  );
  t.same(
    cellOf(complete.cells, 'women').lackingMunicipalities.map((m) => m.code),
    ['A2', 'A3'],
  );
});

t.test('selection: the national overview claims no largest gap', async (t) => {
  const shelter = resource({ name: 'Kvinnojouren', serviceArea: ['A1'] });
  const overview = nationalOverview({
    at: '2024-06-01',
    cells: [women, men],
    counties: [{ code: 'A', name: 'A län', inventory: selection, municipalities: countyA.municipalities }],
    support: cellSupport([shelter], [women, men], '2024-06-01'),
  });
  const row = overview.counties[0];
  t.equal(row?.largestGap, null);
  t.same(row?.summary, {
    covered: 0,
    partial: 0,
    partlyKnown: 1,
    noneKnown: 1,
    nationalOnly: 0,
    gap: 0,
    notInventoried: 0,
  });
});

t.test('afterInventory marks entries dated after the inventory, by start or by source', async (t) => {
  const report = coverageReport(
    input({
      resources: [
        resource({ name: 'A: i rapporten' }),
        resource({ name: 'B: startade efter', activeFrom: '2023-01-01' }),
        resource({ name: 'C: sida sedd efter', sourceSeen: '2026-11-30' }),
        resource({ name: 'D: sida sedd före', sourceSeen: '2020-01-01' }),
      ],
    }),
  );
  t.same(
    cellOf(report.cells, 'women').resources.map((r) => [r.name, r.afterInventory]),
    [
      ['A: i rapporten', false],
      ['B: startade efter', true],
      ['C: sida sedd efter', true],
      ['D: sida sedd före', false],
    ],
  );
  const notInventoried = coverageReport(
    input({ inventory: null, resources: [resource({ activeFrom: '2023-01-01' })] }),
  );
  t.equal(
    cellOf(notInventoried.cells, 'women').resources[0]?.afterInventory,
    false,
    'no inventory, nothing after it',
  );
});
