// The read model against a brute force over the store's own resources: filtered lists, text search, nearby
// and the staff worklist on random data (fast-check), after random writes laid over the base, and after the
// rebuild that folds them in. Also: a write is visible to the next read, and reads during a rebuild see the
// old model or the new one, never a mix.
// Engines: SQLite only, because it drives SQLite's read model (ReadModelStore: its overlay, rebuild and another
// connection's write) directly; PostgreSQL's (FeedReadModel): test/read-model/feed-model.test.ts.

import Database from 'better-sqlite3';
import fc from 'fast-check';
import t, { type Test } from 'tap';
import { sqliteDatabase } from '../../src/db/plugin.js';
import { distanceKm, type Point } from '../../src/places/geo.js';
import { ReadModelStore } from '../../src/read-model/store.js';
import { fold, matchFactor, queryTerms, words } from '../../src/read-model/text.js';
import { parseDataset, storeDataset } from '../../src/resources/dataset.js';
import { type CriteriaForIndex, indexQuery } from '../../src/resources/index.js';
import { getResources } from '../../src/resources/repository.js';
import type { Resource, ResourceInput } from '../../src/resources/schemas.js';
import { buildTestApp, request, testConfig } from '../helpers/app.js';
import { resourceInput } from '../helpers/fixtures.js';
import { referenceResourceState } from '../hours/reference.js';

const config = testConfig(t, { SEED_IF_EMPTY: 'false' });
const app = await buildTestApp(t, { DATABASE_PATH: config.databasePath, SEED_IF_EMPTY: 'false' });
const codes = ['1280', '1281', '1480', '1490', '0180', '0680', '1380', '2480'];
const kinds = ['kvinnojour', 'kast', 'barnahus', 'mottagning'].filter((k) => app.vocabulary.has('kinds', k));
const cells = app.vocabulary.cells().slice(0, 6);
const nameWords = ['Brottsofferjouren', 'Kvinnojour', 'Stödcentrum', 'Mottagningen', 'Ungdomsjouren', 'Älva'];
const descriptionWords = ['stöd', 'våld', 'kvinnor', 'samtal', 'skyddat', 'boende', 'jour', 'malmö'];

// A few schedules (weekdays, evenings past midnight, weekends; holidays closed, as usual or unknown) and
// instants that tell them apart: a Tuesday morning and night, midsommarafton, a Saturday.
const schedules: NonNullable<ResourceInput['openingHours']>[] = [
  {
    weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], opens: '09:00', closes: '16:00' }],
    holidays: 'closed',
  },
  { weekly: [{ days: ['tue', 'fri'], opens: '20:00', closes: '02:00' }], holidays: 'as-usual' },
  { weekly: [{ days: ['sat', 'sun'], opens: '10:00', closes: '14:00' }] },
];
const instants = [
  '2026-12-01T10:00:00+01:00',
  '2026-12-02T01:00:00+01:00',
  '2026-06-19T10:00:00+02:00',
  '2026-12-05T12:00:00+01:00',
].map(Date.parse);

const location = fc.oneof(
  fc.record({
    visibility: fc.constant('public' as const),
    municipality: fc.constantFrom(...codes),
    lat: fc.double({ min: 55.3, max: 60, noNaN: true }),
    lon: fc.double({ min: 11, max: 18.5, noNaN: true }),
    openingHours: fc.option(fc.constantFrom(...schedules), { nil: undefined }),
  }),
  fc.record({ visibility: fc.constant('confidential' as const), municipality: fc.constantFrom(...codes) }),
);
const entry = fc.record({
  name: fc.tuple(fc.constantFrom(...nameWords), fc.constantFrom('', ' Syd', ' Norr', ' i Malmö')),
  // The last kind is rare: a list of it is many times shorter than the active ones, which a filtered list
  // then probes by bitmap (BaseIndex.matching), not by seeking.
  kind: fc.oneof(
    { arbitrary: fc.constantFrom(...kinds.slice(0, -1)), weight: 30 },
    { arbitrary: fc.constantFrom(...kinds.slice(-1)), weight: 1 },
  ),
  status: fc.constantFrom('active', 'active', 'planned', 'closed'),
  national: fc.boolean(),
  served: fc.uniqueArray(fc.constantFrom(...codes), { minLength: 1, maxLength: 3 }),
  cells: fc.uniqueArray(fc.constantFrom(...cells), { minLength: 1, maxLength: 3 }),
  audiences: fc.constantFrom(['individuals'], ['professionals'], ['individuals', 'professionals']),
  languages: fc.uniqueArray(fc.constantFrom('sv', 'en', 'ar'), { maxLength: 2 }),
  anonymous: fc.option(fc.boolean(), { nil: undefined }),
  open24h: fc.boolean(),
  description: fc.array(fc.constantFrom(...descriptionWords), { minLength: 1, maxLength: 5 }),
  locations: fc.array(location, { maxLength: 2 }),
  ageMin: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
  ageSpan: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
  openingHours: fc.option(fc.constantFrom(...schedules), { nil: undefined }),
  lastVerified: fc.constantFrom('2015-01-01', '2019-06-30', '2024-02-29', '2026-01-15'),
  contact: fc.constantFrom({}, { phone: '033-12 34 56' }, { chat: 'https://chat.example' }),
});
type Generated = typeof entry extends fc.Arbitrary<infer T> ? T : never;

function toInput(g: Generated, id?: string): ResourceInput {
  return resourceInput({
    ...(id ? { id } : {}),
    name: g.name.join(''),
    kind: g.kind,
    status: g.status as ResourceInput['status'],
    audiences: [...g.audiences] as ResourceInput['audiences'],
    serviceArea: g.national ? { national: true } : { municipalities: g.served },
    cells: g.cells,
    languages: g.languages,
    ...(g.anonymous === undefined ? {} : { anonymous: g.anonymous }),
    open24h: g.open24h,
    description: { sv: g.description.join(' ') },
    lastVerified: g.lastVerified,
    contact: g.contact,
    // A place's own hours beside `open24h` are refused: such an entry keeps its places without them.
    locations: g.locations.map((l) =>
      l.visibility === 'public' && (l.openingHours === undefined || g.open24h)
        ? { visibility: l.visibility, municipality: l.municipality, lat: l.lat, lon: l.lon }
        : l,
    ),
    ...(g.status === 'closed' ? { activeUntil: '2026-01-01' } : {}),
    ...(g.ageMin === undefined ? {} : { ageMin: g.ageMin }),
    ...(g.ageSpan === undefined ? {} : { ageMax: (g.ageMin ?? 0) + g.ageSpan }),
    ...(g.openingHours === undefined || g.open24h ? {} : { openingHours: g.openingHours }),
  } as Partial<ResourceInput>);
}

const context = { places: app.places, vocabulary: app.vocabulary, today: '2026-11-23' };
const store = (inputs: ResourceInput[]) =>
  storeDataset(sqliteDatabase(app), parseDataset(inputs, 'random', context), new Date().toISOString());

let inputs = fc.sample(entry, { numRuns: 160, seed: 7 }).map((g) => toInput(g));
store(inputs);

// A store of its own that never rebuilds on the read path, so that writes go through the overlay.
const model = new ReadModelStore(sqliteDatabase(app), app.places, app.vocabulary, {
  path: config.databasePath,
  syncRebuildBelow: 0,
  chunk: 16,
  foldAfterMs: 60_000,
});
t.teardown(() => model.close());

// --- The brute force, over the resources as the store assembles them ---

const truth = () =>
  getResources(
    sqliteDatabase(app).db,
    inputs.map((i) => i.id as string),
  );
const byName = (a: Resource, b: Resource) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

function matches(r: Resource, c: CriteriaForIndex): boolean {
  const national = r.serviceArea.national;
  if (c.serves.some((anyOf) => !national && !anyOf.some((m) => r.serviceArea.municipalities.includes(m))))
    return false;
  if (c.kinds?.length && !c.kinds.includes(r.kind)) return false;
  if (c.statuses.length && !c.statuses.includes(r.status)) return false;
  if (c.national !== undefined && c.national !== national) return false;
  const cell = c.cell ?? {};
  if (
    (cell.area || cell.role || cell.group) &&
    !r.cells.some(
      (x) =>
        (!cell.area || x.area === cell.area) &&
        (!cell.role || x.role === cell.role) &&
        (!cell.group || x.group === cell.group),
    )
  )
    return false;
  if (c.audience && !r.audiences.includes(c.audience)) return false;
  if (c.language && !r.languages.includes(c.language)) return false;
  if (c.anonymous !== undefined && r.anonymous !== c.anonymous) return false;
  if (c.open24h !== undefined && r.open24h !== c.open24h) return false;
  if (c.age !== undefined && ((r.ageMin ?? 0) > c.age || (r.ageMax ?? 120) < c.age)) return false;
  return true;
}

/** The state at the asked instant by the reference reading of opening hours; 'open' without an instant. */
const stateFor = (r: Resource, c: CriteriaForIndex) =>
  c.openAt === undefined ? 'open' : referenceResourceState(r, c.openAt);

/** Relevance as documented: per term the best word, weighted by field, summed. */
function score(r: Resource, terms: string[]): number {
  const fields: [string, number][] = [
    [r.name, 10],
    [
      [r.kind, r.kind, ...r.cells.flatMap((c) => [c.area, c.role, c.group])]
        .map((code) =>
          Object.values(app.vocabulary.terms)
            .flat()
            .filter((term) => term.code === code)
            .map((term) => `${term.code} ${term.labelSv} ${term.labelEn}`)
            .join(' '),
        )
        .join(' ') || r.kind,
      4,
    ],
    [r.organization.name, 3],
    [`${r.description.sv} ${r.description.en ?? ''}`, 1],
  ];
  let total = 0;
  for (const term of terms) {
    let best = 0;
    for (const [text, weight] of fields)
      for (const w of words(text)) best = Math.max(best, weight * matchFactor(w, term) * 2);
    if (best === 0) return -1;
    total += best;
  }
  return total;
}

function expectedList(c: CriteriaForIndex) {
  const terms = c.terms ?? [];
  const others = truth().filter((r) => matches(r, c) && (terms.length === 0 || score(r, terms) >= 0));
  const ids = others
    .filter((r) => stateFor(r, c) === 'open')
    .sort((a, b) => (terms.length ? score(b, terms) - score(a, terms) : 0) || byName(a, b))
    .map((r) => r.id);
  const hoursUnknown = others.filter((r) => stateFor(r, c) === 'hours-unknown').length;
  return { ids, hoursUnknown: c.openAt === undefined ? undefined : hoursUnknown };
}

function expectedNearby(c: CriteriaForIndex, point: Point, radiusKm: number, here: string | undefined) {
  const terms = c.terms ?? [];
  const rows = truth().flatMap((r) => {
    if (r.serviceArea.national || !matches(r, c) || (terms.length && score(r, terms) < 0)) return [];
    if (stateFor(r, c) !== 'open') return [];
    const serves = here !== undefined && r.serviceArea.municipalities.includes(here);
    let best: number | null = null;
    for (const l of r.locations) {
      const seat = app.places.municipalities.get(l.municipality);
      const at =
        l.visibility === 'public' && l.lat !== undefined && l.lon !== undefined
          ? { lat: l.lat, lon: l.lon }
          : { lat: seat?.seatLat ?? 0, lon: seat?.seatLon ?? 0 };
      const d = distanceKm(point, at);
      if (best === null || d < best) best = d;
    }
    if (!serves && (best === null || best > radiusKm)) return [];
    return [{ r, serves, d: best === null ? null : Math.round(best * 10) / 10 }];
  });
  rows.sort(
    (a, b) =>
      Number(b.serves) - Number(a.serves) ||
      (a.d ?? Number.POSITIVE_INFINITY) - (b.d ?? Number.POSITIVE_INFINITY) ||
      byName(a.r, b.r),
  );
  return rows.map((row) => `${row.r.id}|${row.serves}|${row.d}`);
}

// --- The questions ---

const criteria = fc.record({
  serves: fc.oneof(
    fc.constant([]),
    fc.constantFrom(...codes).map((m) => [[m]]),
  ),
  kinds: fc.option(fc.uniqueArray(fc.constantFrom(...kinds), { minLength: 1, maxLength: 2 }), {
    nil: undefined,
  }),
  statuses: fc.constantFrom(['active'], ['active', 'planned'], []),
  national: fc.option(fc.boolean(), { nil: undefined }),
  cell: fc.option(
    fc.constantFrom(...cells).map((c) => ({ area: c.area, group: c.group })),
    { nil: undefined },
  ),
  audience: fc.option(fc.constantFrom('individuals', 'professionals'), { nil: undefined }),
  language: fc.option(fc.constantFrom('sv', 'ar'), { nil: undefined }),
  anonymous: fc.option(fc.boolean(), { nil: undefined }),
  open24h: fc.option(fc.boolean(), { nil: undefined }),
  age: fc.option(fc.integer({ min: 0, max: 80 }), { nil: undefined }),
  openAt: fc.option(fc.constantFrom(...instants), { nil: undefined }),
  terms: fc.option(
    fc
      .array(
        fc.constantFrom('jour', 'kvinnojour', 'stod', 'VÅLD', 'malmo', 'st', 'a', 'brottsoffer', 'xyz'),
        {
          minLength: 1,
          maxLength: 2,
        },
      )
      .map((ws) => queryTerms(ws.join(' '))),
    { nil: undefined },
  ),
}) as fc.Arbitrary<CriteriaForIndex>;

function compareAll(t: Test, label: string, runs: number, seed: number) {
  const index = () => model.current().resources;
  fc.assert(
    fc.property(criteria, fc.nat({ max: 3 }), (c, page) => {
      const { ids: want, hoursUnknown } = expectedList(c);
      const got = index().list(indexQuery(c), page * 7, 7);
      t.equal(got.totalItems, want.length, `${label}: total`);
      t.equal(got.hoursUnknown, hoursUnknown, `${label}: hours unknown`);
      t.strictSame(
        got.items.map((json) => JSON.parse(json).id),
        want.slice(page * 7, page * 7 + 7),
        `${label}: ${JSON.stringify(c)} page ${page}`,
      );
    }),
    { numRuns: runs, seed },
  );
  fc.assert(
    fc.property(
      criteria,
      fc.double({ min: 55.3, max: 60, noNaN: true }),
      fc.double({ min: 11, max: 18.5, noNaN: true }),
      fc.double({ min: 1, max: 300, noNaN: true }),
      fc.nat({ max: 2 }),
      (c, lat, lon, radiusKm, page) => {
        const point = { lat, lon };
        const here = app.places.municipalityAt(point)?.code;
        const want = expectedNearby(c, point, radiusKm, here);
        const got = index().nearby(indexQuery(c), point, radiusKm, here, page * 9, 9);
        t.equal(got.totalItems, want.length, `${label}: nearby total`);
        t.strictSame(
          got.items.map((item) => `${JSON.parse(item.json).id}|${item.servesLocation}|${item.distanceKm}`),
          want.slice(page * 9, page * 9 + 9),
          `${label}: nearby ${JSON.stringify(c)} at ${lat.toFixed(3)},${lon.toFixed(3)} r ${radiusKm.toFixed(1)}`,
        );
      },
    ),
    { numRuns: runs, seed: seed + 1 },
  );
  // The staff worklist: the filters alone (no text, age or instant), a cutoff, and no contact.
  fc.assert(
    fc.property(
      criteria,
      fc.option(fc.constantFrom('2015-01-01', '2019-06-30', '2020-01-01', '2026-01-16'), { nil: undefined }),
      fc.boolean(),
      fc.nat({ max: 3 }),
      (c, before, withoutContact, page) => {
        const { terms: _terms, openAt: _openAt, age: _age, ...filters } = c;
        const asked = { ...filters, withoutContact };
        const want = truth()
          .filter(
            (r) =>
              matches(r, asked) &&
              (before === undefined || r.lastVerified < before) &&
              (!withoutContact || Object.keys(r.contact).length === 0),
          )
          .sort((a, b) =>
            a.lastVerified < b.lastVerified ? -1 : a.lastVerified > b.lastVerified ? 1 : byName(a, b),
          )
          .map((r) => r.id);
        const got = index().leastRecentlyVerified(indexQuery(asked), before, page * 7, 7);
        t.equal(got.totalItems, want.length, `${label}: least recently verified, total`);
        t.strictSame(
          got.items.map((json) => JSON.parse(json).id),
          want.slice(page * 7, page * 7 + 7),
          `${label}: least recently verified ${JSON.stringify(asked)} before ${before} page ${page}`,
        );
      },
    ),
    { numRuns: runs, seed: seed + 2 },
  );
}

t.test('filtered lists, text and nearby equal the brute force', async (t) => {
  compareAll(t, 'base', 120, 1);
});

t.test('nearby with a location on the radius itself, and a hair either side of it', async (t) => {
  // The index decides by the haversine alone where it is far from the radius's: these radii put a
  // location on the edge, where it must measure exactly as the brute force does.
  const places = truth().flatMap((r) =>
    r.serviceArea.national
      ? []
      : r.locations.map((l) => {
          const seat = app.places.municipalities.get(l.municipality);
          return l.visibility === 'public' && l.lat !== undefined && l.lon !== undefined
            ? { id: r.id, lat: l.lat, lon: l.lon }
            : { id: r.id, lat: seat?.seatLat ?? 0, lon: seat?.seatLon ?? 0 };
        }),
  );
  t.ok(places.length > 50, `${places.length} locations to put on the edge`);
  // Mostly few filters, so that the resource put on the edge is often among those asked about.
  const few: CriteriaForIndex[] = [
    { serves: [], statuses: [] },
    { serves: [], statuses: ['active'] },
  ];
  const asked = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...few) },
    { weight: 1, arbitrary: criteria },
  );
  let compared = 0;
  let onEdge = 0;
  fc.assert(
    fc.property(
      asked,
      fc.double({ min: 55.3, max: 60, noNaN: true }),
      fc.double({ min: 11, max: 18.5, noNaN: true }),
      fc.nat({ max: places.length - 1 }),
      fc.constantFrom(-1, 0, 1),
      (c, lat, lon, which, hair) => {
        const point = { lat, lon };
        const place = places[which] as (typeof places)[number];
        const exact = distanceKm(point, place);
        const radiusKm = exact + hair * exact * Number.EPSILON;
        const here = app.places.municipalityAt(point)?.code;
        const want = expectedNearby(c, point, radiusKm, here);
        const got = model.current().resources.nearby(indexQuery(c), point, radiusKm, here, 0, 1000);
        compared += 1;
        if (hair >= 0 && want.some((row) => row.startsWith(`${place.id}|false|`))) onEdge += 1;
        t.equal(got.totalItems, want.length, 'nearby total at the edge');
        t.strictSame(
          got.items.map((item) => `${JSON.parse(item.json).id}|${item.servesLocation}|${item.distanceKm}`),
          want,
          `edge ${JSON.stringify(c)} at ${lat},${lon} r ${radiusKm}`,
        );
      },
    ),
    { numRuns: 150, seed: 5 },
  );
  t.equal(compared, 150);
  t.ok(onEdge > 20, `a location on the edge was within the radius ${onEdge} times`);
});

t.test('after random writes (overlay) and after the rebuild that folds them in', async (t) => {
  for (let round = 0; round < 3; round++) {
    const changed = fc.sample(entry, { numRuns: 12, seed: 100 + round });
    const rewritten = changed
      .slice(0, 8)
      .map((g, i) => toInput(g, inputs[(round * 31 + i * 13) % inputs.length]?.id));
    const added = changed.slice(8).map((g) => toInput(g));
    store([...rewritten, ...added]);
    inputs = [...inputs.filter((i) => !rewritten.some((r) => r.id === i.id)), ...rewritten, ...added];
    t.ok(model.current().resources.overlaySize > 0, 'the writes are laid over the base');
    compareAll(t, `overlay ${round}`, 40, 10 + round);
  }
  await model.rebuildInBackground();
  t.equal(model.current().resources.overlaySize, 0, 'the rebuild folded the overlay in');
  compareAll(t, 'rebuilt', 40, 20);
});

t.test('a write is visible to the next read in the same process', async (t) => {
  const fresh = resourceInput({ name: 'Nyskriven Jour', serviceArea: { municipalities: ['1280'] } });
  store([fresh]);
  inputs.push(fresh);
  const found = model.current().resources.get(fresh.id as string);
  t.ok(found, 'the large-dataset path (overlay) has it at once');
  const { body } = await request(app, `/v1/resources?q=${encodeURIComponent('nyskriven')}`);
  t.same(
    body.items.map((r: Resource) => r.id),
    [fresh.id],
    'the app answers it at once',
  );
});

t.test('reads during a rebuild see the old model or the new one, never a mix', async (t) => {
  // A change no journal knows of (another connection): the store rebuilds off the request path.
  const other = new Database(config.databasePath);
  other.prepare("UPDATE resources SET name = name || ' Ny'").run();
  other.close();
  const before = model.current();
  t.ok(model.rebuilding, 'a rebuild runs in the background');
  const all = () =>
    model
      .current()
      .resources.list(indexQuery({ serves: [], statuses: [] }), 0, 1000)
      .items.map((json) => JSON.parse(json).name as string);
  const seen = new Set<string>();
  let reads = 0;
  while (model.rebuilding && reads < 10_000) {
    const names = all();
    const renamed = names.filter((n) => n.endsWith(' Ny')).length;
    t.ok(renamed === 0 || renamed === names.length, `read ${reads}: all old or all new`);
    seen.add(renamed === 0 ? 'old' : 'new');
    reads += 1;
    await new Promise((resolve) => setImmediate(resolve));
  }
  t.ok(reads > 1, `reads went on during the rebuild (${reads})`);
  t.ok(seen.has('old'), 'the old model answered while the new one was built');
  t.not(model.current(), before);
  t.ok(
    all().every((n) => n.endsWith(' Ny')),
    'the new model once swapped in',
  );
  t.equal(fold('Älva Ödmjuk'), 'alva odmjuk');
});
