// Opening hours per location, through the real app: a resource whose own hours are weekdays 9–12 with a
// second place open weekday afternoons 13–16. The resource is open when either says open; the place's
// hours show on that place in the API, the CSV and HSDS; a confidential place may not carry hours.

import { parse } from 'csv-parse/sync';
import t from 'tap';
import { createToken } from '../../src/auth/tokens.js';
import { csvColumns } from '../../src/exports/formats.js';
import { HsdsVocabulary, hsdsService } from '../../src/hsds/mapping.js';
import type { Resource, ResourceInput } from '../../src/resources/schemas.js';
import { type Body, buildTestApp, expectProblem, queryRows, request } from '../helpers/app.js';
import { resourceInput } from '../helpers/fixtures.js';
import { assertValid, hsdsValidators } from '../hsds/validator.js';

const app = await buildTestApp(t);
const admin = await createToken(app.tokens, 'admin-location-hours', { kind: 'admin' });
const headers = { authorization: `Bearer ${admin}` };

const afternoons: NonNullable<ResourceInput['openingHours']> = {
  weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], opens: '13:00', closes: '16:00' }],
  holidays: 'closed',
};
const entry = resourceInput({
  name: 'Två mottagningar',
  serviceArea: { municipalities: ['2584'] },
  openingHours: {
    weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], opens: '09:00', closes: '12:00' }],
    holidays: 'closed',
  },
  locations: [
    { visibility: 'public', municipality: '2584', lat: 67.855, lon: 20.225 },
    {
      visibility: 'public',
      municipality: '2584',
      address: { street: 'Storgatan 1', postalCode: '98131', city: 'Kiruna' },
      lat: 67.85,
      lon: 20.22,
      openingHours: afternoons,
    },
  ],
});

const created = await request(app, { method: 'POST', url: '/v1/resources', headers, payload: entry });
t.equal(created.response.statusCode, 201, 'the resource is created');
const id = created.body.id as string;

t.test('the place keeps its own hours; the other place has none of its own', async (t) => {
  const { body } = await request(app, `/v1/resources/${id}`);
  t.notOk('openingHours' in body.locations[0], 'the first place has no hours of its own');
  t.same(body.locations[1].openingHours.weekly[0].opens, '13:00', "the second place's hours");
});

const openAt = async (at: string) => {
  const { response, body } = await request(
    app,
    `/v1/resources?municipality=2584&national=false&openAt=${encodeURIComponent(at)}`,
  );
  t.equal(response.statusCode, 200);
  return body.items.filter((item: Body) => item.id === id);
};

t.test('open when its own hours or a place says open', async (t) => {
  const morning = await openAt('2026-12-01T10:00:00+01:00');
  t.equal(morning.length, 1, 'open at 10:00 by its own hours');
  t.equal(morning[0].openingStatus.state, 'open');
  t.equal(morning[0].openingStatus.next.at, '2026-12-01T11:00:00.000Z', 'next change: noon, both closed');
  const noon = await openAt('2026-12-01T12:30:00+01:00');
  t.equal(noon.length, 0, 'closed at 12:30: neither says open');
  const afternoon = await openAt('2026-12-01T14:00:00+01:00');
  t.equal(afternoon.length, 1, 'open at 14:00 by the second place');
  t.equal(afternoon[0].openingStatus.next.at, '2026-12-01T15:00:00.000Z', 'closes at 16:00');
  t.equal((await openAt('2026-12-25T10:00:00+01:00')).length, 0, 'closed on juldagen at both');
});

/** A write refused with 400: its problem. */
const refused = (t: Parameters<typeof expectProblem>[0], overrides: Partial<ResourceInput>) =>
  expectProblem(
    t,
    app,
    {
      method: 'POST',
      url: '/v1/resources',
      headers,
      payload: resourceInput({ serviceArea: { municipalities: ['2584'] }, ...overrides }),
    },
    400,
  );

t.test('a confidential location may not carry opening hours', async (t) => {
  const body = await refused(t, {
    name: 'Refused shelter entry',
    locations: [{ visibility: 'confidential', municipality: '2584', openingHours: afternoons }],
  });
  t.ok(
    body.errors.some((e: Body) => e.pointer === '/locations/0/openingHours'),
    'the problem names the field',
  );
  t.notOk(JSON.stringify(body).includes('13:00'), 'the refused hours are not echoed');
  const csv = (await app.inject('/v1/export/resources.csv')).body;
  t.notOk(csv.includes('Refused shelter entry'), 'nothing was written');
});

t.test("a place's hours are checked as the resource's are", async (t) => {
  const body = await refused(t, {
    locations: [
      {
        visibility: 'public',
        municipality: '2584',
        openingHours: { weekly: [{ days: ['mon'], opens: '09:00', closes: '09:00' }] },
      },
    ],
  });
  t.ok(
    body.errors.some((e: Body) => String(e.pointer).startsWith('/locations/0/openingHours')),
    'the problem names the place',
  );
});

t.test('the CSV and HSDS show the place its hours', async (t) => {
  const csv = await app.inject('/v1/export/resources.csv');
  const rows = parse(csv.body, { bom: true, columns: true }) as Record<string, string>[];
  const row = rows.find((r) => r.id === id);
  t.equal(
    row?.locationOpeningHours,
    'Storgatan 1, 98131 Kiruna: mon–fri 13:00–16:00; holidays closed',
    'the place, then its hours',
  );
  t.equal(row?.openingHours, 'mon–fri 09:00–12:00; holidays closed', "the resource's own hours");
  const ndjson = (await app.inject('/v1/export/resources.ndjson')).body
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .find((r) => r.id === id);
  t.same(ndjson.locations[1].openingHours.weekly[0].closes, '16:00', 'NDJSON: on the place');

  const service = (await request(app, `/hsds/services/${id}`)).body;
  assertValid(t, hsdsValidators().service, service, 'the service');
  const placed = service.schedules.filter((s: Body) => s.location_id);
  t.equal(placed.length, 1, 'one schedule for the place');
  t.equal(placed[0].location_id, service.service_at_locations[1].location_id, "the second place's id");
  t.equal(placed[0].opens_at, '13:00');
  t.equal(service.schedules.filter((s: Body) => !s.location_id).length, 1, "the service's own schedule");
});

// Belts under the API's refusal: the table refuses such a row outright, and the export and HSDS mappings leave
// a confidential location's hours out even if a resource were ever handed to them with some.
t.test('hours on a confidential location: refused by the table, left out by CSV and HSDS', async (t) => {
  await t.rejects(
    queryRows(
      app,
      `INSERT INTO resource_locations (resource_id, position, visibility, municipality_code, opening_hours)
       VALUES (?, 9, 'confidential', '2584', ?)`,
      [id, JSON.stringify(afternoons)],
    ),
    // SQLite's message, or PostgreSQL's.
    /(CHECK constraint failed: |violates check constraint ")resource_locations_confidential_check/,
  );

  const { body } = await request(app, `/v1/resources/${id}`);
  const hidden = {
    ...body,
    openingHours: null,
    locations: [{ visibility: 'confidential', municipality: '2584', openingHours: afternoons }],
  } as Resource;
  const column = csvColumns.find(([name]) => name === 'locationOpeningHours');
  t.equal(column?.[1](hidden), '', 'no hours in the CSV column');
  const service = hsdsService(
    hidden,
    { vocabulary: app.vocabulary, places: app.places, origin: 'http://localhost' },
    new HsdsVocabulary(app.vocabulary, 'http://localhost'),
  );
  t.same(
    (service.schedules ?? []).filter((s) => 'location_id' in s),
    [],
    'no HSDS schedule for the place',
  );
});
