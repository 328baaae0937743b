// Open now, open at an instant, and age, through the real app: a resource open around the clock, one open
// weekdays 9–16 and closed on holidays, and one whose hours nobody stated, on midsommarafton, julafton and
// an ordinary Tuesday.
import { parse } from 'csv-parse/sync';
import t from 'tap';
import { createToken } from '../../src/auth/tokens.js';
import type { ResourceInput } from '../../src/resources/schemas.js';
import { type Body, buildTestApp, expectProblem, request } from '../helpers/app.js';
import { resourceInput } from '../helpers/fixtures.js';
import { assertValid, hsdsValidators } from '../hsds/validator.js';

const app = await buildTestApp(t);
const admin = await createToken(app.tokens, 'admin-hours', { kind: 'admin' });
const headers = { authorization: `Bearer ${admin}` };

// Kiruna: no curated entry serves it, so with national=false these three are all there is.
const inKiruna = (overrides: Partial<ResourceInput>) =>
  resourceInput({
    serviceArea: { municipalities: ['2584'] },
    locations: [{ visibility: 'public', municipality: '2584', lat: 67.855, lon: 20.225 }],
    ...overrides,
  });
const entries = {
  allHours: inKiruna({ name: 'Dygnet runt', open24h: true, ageMin: 18 }),
  weekdays: inKiruna({
    name: 'Vardagar',
    ageMin: 13,
    ageMax: 25,
    hours: 'Mån–fre 9–16, stängt röda dagar',
    openingHours: {
      weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], opens: '09:00', closes: '16:00' }],
      holidays: 'closed',
    },
  }),
  unknown: inKiruna({ name: 'Okända tider' }),
};
// In a subtest, not at the top: tap ends the root test on its own once it is idle after an assertion (it
// has a teardown), and a write on PostgreSQL takes longer than the two turns of the event loop it waits.
t.test('the three are created with their opening hours', async (t) => {
  for (const entry of Object.values(entries)) {
    const { response, body } = await request(app, {
      method: 'POST',
      url: '/v1/resources',
      headers,
      payload: entry,
    });
    t.equal(response.statusCode, 201, `${entry.name} is created`);
    t.same(body.openingHours ?? null, entry.openingHours ?? null, `${entry.name} keeps its opening hours`);
  }
});

const list = async (query: string): Promise<Body> => {
  const { response, body } = await request(app, `/v1/resources?municipality=2584&national=false&${query}`);
  t.equal(response.statusCode, 200, query);
  return body;
};
const names = (body: Body) => body.items.map((item: Body) => item.name).sort();

t.test('midsommarafton, julafton and a Tuesday night', async (t) => {
  const cases = [
    { at: '2026-06-19T10:00:00+02:00', what: 'midsommarafton 10:00', open: ['Dygnet runt'] },
    { at: '2026-12-24T10:00:00+01:00', what: 'julafton 10:00', open: ['Dygnet runt'] },
    { at: '2026-12-31T10:00:00+01:00', what: 'nyårsafton 10:00', open: ['Dygnet runt'] },
    { at: '2026-12-01T02:00:00+01:00', what: 'Tuesday 02:00', open: ['Dygnet runt'] },
    { at: '2026-12-01T10:00:00+01:00', what: 'Tuesday 10:00', open: ['Dygnet runt', 'Vardagar'] },
    {
      at: '2026-06-18T10:00:00+02:00',
      what: 'the Thursday before midsommar',
      open: ['Dygnet runt', 'Vardagar'],
    },
  ];
  for (const c of cases) {
    const body = await list(`openAt=${encodeURIComponent(c.at)}`);
    t.same(names(body), c.open, `${c.what}: open are ${c.open.join(', ')}`);
    t.equal(body.hoursUnknown, 1, `${c.what}: the resource without hours is counted as unknown, not open`);
    t.equal(body.totalItems, c.open.length);
  }
});

t.test('each resource says whether it is open and when that changes', async (t) => {
  const tuesday = await list(`openAt=${encodeURIComponent('2026-12-01T10:00:00+01:00')}`);
  const byName = Object.fromEntries(tuesday.items.map((item: Body) => [item.name, item.openingStatus]));
  t.same(byName['Dygnet runt'], { at: '2026-12-01T09:00:00.000Z', state: 'open', next: null });
  t.same(byName.Vardagar, {
    at: '2026-12-01T09:00:00.000Z',
    state: 'open',
    next: { state: 'closed', at: '2026-12-01T15:00:00.000Z' },
  });
  // Friday 23 December 2026 after closing: Christmas Eve to Boxing Day are holidays, then a weekend.
  const { body } = await request(app, {
    method: 'POST',
    url: '/v1/resources/search',
    payload: { lat: 67.855, lon: 20.225, national: false, openAt: '2026-12-24T02:00:00+01:00' },
  });
  t.same(names(body), ['Dygnet runt'], 'at night on julafton only the 24/7 resource is open');
  t.equal(body.hoursUnknown, 1, 'the nearby answer counts the unknown one too');
  const plain = await list('');
  t.equal(plain.totalItems, 3, 'without an instant every resource is listed');
  t.equal(plain.hoursUnknown, undefined, 'and nothing is said of hours');
  t.notOk(
    plain.items.some((item: Body) => 'openingStatus' in item),
    'nor of opening status',
  );
});

t.test('the next opening after a holiday weekend', async (t) => {
  // Christmas 2026: Thursday 24 (julafton), Friday 25, Saturday 26, Sunday 27: next opening Monday 28.
  const weekdays = (await list('')).items.find((item: Body) => item.name === 'Vardagar');
  const { body } = await request(
    app,
    `/v1/resources?q=Vardagar&national=false&municipality=2584&openAt=2026-12-23T17:00:00%2B01:00`,
  );
  t.equal(body.totalItems, 0, 'closed after 16:00');
  t.ok(weekdays, 'the weekday resource exists');
  const open = await list(`openAt=${encodeURIComponent('2026-12-28T09:00:00+01:00')}`);
  t.same(names(open), ['Dygnet runt', 'Vardagar'], 'open again on Monday 28 December at 09:00');
});

t.test('age', async (t) => {
  t.same(names(await list('age=15')), ['Okända tider', 'Vardagar'], 'a 15-year-old: ages 13–25 and no limit');
  t.same(names(await list('age=30')), ['Dygnet runt', 'Okända tider'], '30: from 18 and no limit');
  t.same(names(await list('age=13')), ['Okända tider', 'Vardagar'], 'the limits are inclusive');
});

t.test('bad filters are refused with a problem naming them', async (t) => {
  for (const [query, name] of [
    ['openNow=false', 'openNow'],
    ['openNow=maybe', 'openNow'],
    ['openAt=yesterday', 'openAt'],
    ['openAt=2026-12-24T10:00:00', 'openAt'],
    ['openNow=true&openAt=2026-12-24T10:00:00Z', 'openAt'],
    ['openAt=2150-01-01T00:00:00Z', 'openAt'],
    ['age=-1', 'age'],
    ['age=121', 'age'],
    ['age=1.5', 'age'],
  ]) {
    const body = await expectProblem(t, app, `/v1/resources?${query}`, 400);
    t.ok(
      body.errors.some((e: Body) => e.name === name || e.pointer === `/${name}`),
      `${query}: the problem names ${name}`,
    );
  }
  const body = await expectProblem(
    t,
    app,
    { method: 'POST', url: '/v1/resources/search', payload: { lat: 67.8, lon: 20.2, openNow: false } },
    400,
  );
  t.ok(
    body.errors.some((e: Body) => e.pointer === '/openNow'),
    'in a body, by pointer',
  );
});

t.test('opening hours that cannot hold are refused, nothing is written', async (t) => {
  const before = (await list('')).totalItems;
  for (const [openingHours, open24h, pointer] of [
    [{ weekly: [{ days: ['mon'], opens: '09:00', closes: '09:00' }] }, false, '/openingHours/weekly/0'],
    [{ weekly: [{ days: ['mon'], opens: '09:00', closes: '16:00' }] }, true, '/openingHours'],
    [
      { weekly: [{ days: ['monday'], opens: '09:00', closes: '16:00' }] },
      false,
      '/openingHours/weekly/0/days/0',
    ],
    [{ weekly: [{ days: ['mon'], opens: '24:00', closes: '16:00' }] }, false, '/openingHours/weekly/0/opens'],
    [{ weekly: [], validFrom: '2027-01-02', validUntil: '2027-01-01' }, false, '/openingHours/validUntil'],
    [
      {
        weekly: [],
        exceptions: [
          { date: '2026-12-24', hours: [] },
          { date: '2026-12-24', hours: [] },
        ],
      },
      false,
      '/openingHours/exceptions/1/date',
    ],
  ] as const) {
    const body = await expectProblem(
      t,
      app,
      {
        method: 'POST',
        url: '/v1/resources',
        headers,
        payload: inKiruna({
          name: 'Felaktig',
          open24h,
          openingHours: openingHours as unknown as ResourceInput['openingHours'],
        }),
      },
      400,
    );
    t.ok(
      body.errors.some((e: Body) => String(e.pointer).startsWith(pointer)),
      `${JSON.stringify(openingHours)}: the problem points at ${pointer}`,
    );
  }
  t.equal((await list('')).totalItems, before, 'no entry was written');
});

t.test('coverage at an instant counts only what is open then', async (t) => {
  const cell = 'area=close-relationship&role=subjected&group=women';
  const servingNames = (body: Body) =>
    body.cells[0].resources
      .map((r: Body) => r.name)
      .filter((name: string) => ['Dygnet runt', 'Vardagar', 'Okända tider'].includes(name))
      .sort();
  const always = await request(app, `/v1/coverage?municipality=2584&${cell}`);
  t.equal(always.response.statusCode, 200);
  t.same(
    servingNames(always.body),
    ['Dygnet runt', 'Okända tider', 'Vardagar'],
    'without an instant all three',
  );
  t.equal(always.body.openAt, undefined);
  const night = await request(
    app,
    `/v1/coverage?municipality=2584&${cell}&openAt=2026-12-01T02:00:00%2B01:00`,
  );
  t.same(servingNames(night.body), ['Dygnet runt'], 'on a Tuesday at 02:00 only the 24/7 resource');
  t.equal(night.body.openAt, '2026-12-01T01:00:00.000Z', 'the answer names the instant');
  t.equal(night.body.at, '2026-12-01', 'and holds for its date');
  const day = await request(app, `/v1/coverage?municipality=2584&${cell}&openAt=2026-12-01T10:00:00%2B01:00`);
  t.same(servingNames(day.body), ['Dygnet runt', 'Vardagar'], 'at 10:00 the weekday resource too');
  const julafton = await request(
    app,
    `/v1/coverage?municipality=2584&${cell}&openAt=2026-12-24T10:00:00%2B01:00`,
  );
  t.same(servingNames(julafton.body), ['Dygnet runt'], 'on julafton the weekday resource is closed');
  const national = await request(app, `/v1/coverage/national?${cell}&openAt=2026-12-24T10:00:00%2B01:00`);
  t.equal(national.response.statusCode, 200);
  t.equal(national.body.openAt, '2026-12-24T09:00:00.000Z');
  await expectProblem(t, app, `/v1/coverage?municipality=2584&openAt=2150-01-01T00:00:00Z`, 400);
  await expectProblem(t, app, `/v1/coverage?municipality=2584&openAt=tonight`, 400);
});

t.test('HSDS schedules and the CSV column', async (t) => {
  const hsds = hsdsValidators();
  const weekdays = (await request(app, `/hsds/services/${entries.weekdays.id}`)).body;
  assertValid(t, hsds.service, weekdays, 'the weekday service');
  t.match(weekdays.schedules, [
    {
      freq: 'WEEKLY',
      byday: 'MO,TU,WE,TH,FR',
      opens_at: '09:00',
      closes_at: '16:00',
      description: 'Mån–fre 9–16, stängt röda dagar',
      notes: 'Europe/Stockholm. mon–fri 09:00–16:00; holidays closed',
    },
  ]);
  t.equal(weekdays.schedules.length, 1);
  const allHours = (await request(app, `/hsds/services/${entries.allHours.id}`)).body;
  assertValid(t, hsds.service, allHours, 'the 24/7 service');
  t.match(allHours.schedules, [{ byday: 'MO,TU,WE,TH,FR,SA,SU', opens_at: '00:00', closes_at: '23:59' }]);
  const unknown = (await request(app, `/hsds/services/${entries.unknown.id}`)).body;
  t.same(unknown.schedules, [], 'no hours, no schedule');

  const csv = await app.inject('/v1/export/resources.csv');
  const rows = parse(csv.body, { columns: true, bom: true }) as Record<string, string>[];
  const byName = (name: string) => rows.find((row) => row.name === name);
  t.equal(byName('Vardagar')?.openingHours, 'mon–fri 09:00–16:00; holidays closed');
  t.equal(byName('Okända tider')?.openingHours, '');
  t.equal(byName('Dygnet runt')?.open24h, 'true');
});

t.test('openNow asks for the present instant', async (t) => {
  // Whatever the time: the 24/7 resource is open, the one without hours never listed but counted.
  const body = await list('openNow=true');
  t.ok(names(body).includes('Dygnet runt'), 'the 24/7 resource is open now');
  t.notOk(names(body).includes('Okända tider'), 'unknown hours are not open');
  t.equal(body.hoursUnknown, 1);
  for (const item of body.items) t.equal(item.openingStatus.state, 'open', `${item.name} says it is open`);
});

t.test('verifying an entry keeps its opening hours', async (t) => {
  const id = entries.weekdays.id as string;
  const current = await request(app, `/v1/resources/${id}`);
  const verified = await request(app, {
    method: 'POST',
    url: `/v1/resources/${id}/verify`,
    headers: { ...headers, 'if-match': current.response.headers.etag as string },
  });
  t.equal(verified.response.statusCode, 200);
  t.same(verified.body.openingHours, entries.weekdays.openingHours);
  const history = await request(app, `/v1/resources/${id}/history`);
  t.notOk(
    history.body.items.some((entry: Body) =>
      entry.changes.some((c: Body) => c.field === 'openingHours' && entry.action !== 'create'),
    ),
    'the verification changed no hours',
  );
});
