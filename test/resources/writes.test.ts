// Staff writes: tokens and scopes, optimistic concurrency, validation, history and its redaction.

import { createHash } from 'node:crypto';
import t from 'tap';
import { createToken, revokeToken } from '../../src/auth/tokens.js';
import type { ResourceInput } from '../../src/resources/schemas.js';
import { type Body, buildTestApp, countRows, expectProblem, queryRows, request } from '../helpers/app.js';
import { resourceInput } from '../helpers/fixtures.js';

const app = await buildTestApp(t);
const admin = await createToken(app.tokens, 'admin-eva', { kind: 'admin' });
const jonkoping = await createToken(app.tokens, 'anna-06', { kind: 'county', county: '06' });
const vastraGotaland = await createToken(app.tokens, 'olle-14', { kind: 'county', county: '14' });
const revoked = await createToken(app.tokens, 'gone-14', { kind: 'county', county: '14' });
await revokeToken(app.tokens, 'gone-14');

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const today = new Date().toISOString().slice(0, 10);
const inJonkoping = (overrides: Partial<ResourceInput> = {}) =>
  resourceInput({
    name: 'Stödlinjen Jönköping',
    serviceArea: { municipalities: ['0680', '0682'] },
    locations: [{ visibility: 'public', municipality: '0680', lat: 57.78, lon: 14.16 }],
    ...overrides,
  });

async function counts() {
  return {
    resources: await countRows(app, 'resources'),
    history: await countRows(app, 'resource_history'),
  };
}

async function create(token: string, entry: ResourceInput) {
  return request(app, { method: 'POST', url: '/v1/resources', headers: bearer(token), payload: entry });
}

t.test('creating: who may', async (t) => {
  const entry = inJonkoping();
  const noToken = await expectProblem(t, app, { method: 'POST', url: '/v1/resources', payload: entry }, 401);
  t.equal(noToken.code, 'unauthorized');
  const unknown = await request(app, {
    method: 'POST',
    url: '/v1/resources',
    headers: bearer('stk_nope'),
    payload: entry,
  });
  t.equal(unknown.response.statusCode, 401);
  t.match(unknown.response.headers['www-authenticate'], /^Bearer/);
  t.equal((await create(revoked, entry)).response.statusCode, 401, 'a revoked token');
  const other = await expectProblem(
    t,
    app,
    { method: 'POST', url: '/v1/resources', headers: bearer(vastraGotaland), payload: entry },
    403,
  );
  t.match(other.detail, /county 14/);

  const created = await create(jonkoping, entry);
  t.equal(created.response.statusCode, 201);
  t.equal(created.response.headers.location, `/v1/resources/${entry.id}`);
  t.equal(created.response.headers.etag, '"1"');
  t.equal(created.body.contact.phone, '+4633123456', 'the phone stored as E.164');

  const again = await expectProblem(
    t,
    app,
    { method: 'POST', url: '/v1/resources', headers: bearer(jonkoping), payload: entry },
    409,
  );
  t.equal(again.code, 'already-exists');

  const national = resourceInput({ serviceArea: { national: true }, locations: [] });
  await expectProblem(
    t,
    app,
    { method: 'POST', url: '/v1/resources', headers: bearer(jonkoping), payload: national },
    403,
  );
  t.equal((await create(admin, national)).response.statusCode, 201, 'admin may add a national line');

  const spanning = inJonkoping({ serviceArea: { municipalities: ['0680', '1490'] } });
  await expectProblem(
    t,
    app,
    { method: 'POST', url: '/v1/resources', headers: bearer(jonkoping), payload: spanning },
    403,
  );
  const officeElsewhere = inJonkoping({ locations: [{ visibility: 'public', municipality: '1490' }] });
  await expectProblem(
    t,
    app,
    { method: 'POST', url: '/v1/resources', headers: bearer(jonkoping), payload: officeElsewhere },
    403,
  );
  const { id: _id, ...withoutId } = inJonkoping();
  const generated = await create(jonkoping, withoutId as ResourceInput);
  t.equal(generated.response.statusCode, 201);
  t.match(generated.body.id, /^[0-9a-f-]{36}$/, 'an id is given when none is sent');
});

t.test('every validation problem is listed in one 400, and nothing is written', async (t) => {
  const before = await counts();
  const entry = inJonkoping({
    kind: 'spaceship',
    cells: [{ area: 'war', role: 'subjected', group: 'cats' }],
    serviceArea: { municipalities: ['0680', '9999'] },
    locations: [
      {
        visibility: 'confidential',
        municipality: '0680',
        address: { street: 'Hemliga gatan 3', postalCode: '553 20', city: 'Jönköping' },
        lat: 57.7812,
        lon: 14.1633,
      },
    ],
    contact: { phone: '12345', website: 'ftp://example.org' },
    organization: { name: 'X', type: 'ideell', organisationNumber: '556677-8890' },
    lastVerified: '2099-01-01',
  });
  const problem = await expectProblem(
    t,
    app,
    { method: 'POST', url: '/v1/resources', headers: bearer(admin), payload: entry },
    400,
  );
  const pointers = problem.errors.map((e: Body) => e.pointer);
  for (const pointer of [
    '/kind',
    '/cells/0/area',
    '/cells/0/group',
    '/serviceArea/municipalities/1',
    '/locations/0/address',
    '/locations/0',
    '/contact/phone',
    '/contact/website',
    '/organization/organisationNumber',
    '/lastVerified',
  ]) {
    t.ok(pointers.includes(pointer), `names ${pointer}`);
  }
  const text = JSON.stringify(problem);
  t.notOk(
    text.includes('Hemliga') || text.includes('57.7812') || text.includes('553 20'),
    'never echoes the secret',
  );
  t.same(await counts(), before, 'nothing written');

  const schemaProblem = await expectProblem(
    t,
    app,
    {
      method: 'POST',
      url: '/v1/resources',
      headers: bearer(admin),
      payload: { ...inJonkoping(), colour: 'red', name: '' },
    },
    400,
  );
  t.ok(schemaProblem.errors.some((e: Body) => e.pointer === '/colour'));
  t.ok(schemaProblem.errors.some((e: Body) => e.pointer === '/name'));
  await expectProblem(
    t,
    app,
    {
      method: 'POST',
      url: '/v1/resources',
      headers: { ...bearer(admin), 'content-type': 'application/json' },
      payload: '{"name":',
    },
    400,
  );
  t.same(await counts(), before, 'nothing written');
});

t.test('a confidential location with only lat, or only lon, is refused as well', async (t) => {
  const before = await counts();
  for (const coordinate of [{ lat: 57.7812 }, { lon: 14.1633 }]) {
    const entry = inJonkoping({
      locations: [{ visibility: 'confidential', municipality: '0680', ...coordinate }],
    });
    const problem = await expectProblem(
      t,
      app,
      { method: 'POST', url: '/v1/resources', headers: bearer(admin), payload: entry },
      400,
    );
    t.same(problem.errors, [
      {
        in: 'body',
        pointer: '/locations/0',
        reason: 'a confidential location must not carry coordinates: only its municipality is stored',
      },
    ]);
    const text = JSON.stringify(problem);
    t.notOk(text.includes('57.7812') || text.includes('14.1633'), 'never echoes the secret');
    await expectProblem(t, app, `/v1/resources/${entry.id}`, 404);
  }
  t.same(await counts(), before, 'nothing written');
});

t.test('replacing needs If-Match: 428 without, 412 when stale; scope checks old and new', async (t) => {
  const entry = inJonkoping({ name: 'Att ändra' });
  const created = await create(jonkoping, entry);
  const url = `/v1/resources/${entry.id}`;
  const etag = created.response.headers.etag as string;
  const get = await request(app, url);
  t.equal(get.response.headers.etag, etag, 'GET sends the same ETag');

  const changed = { ...entry, name: 'Ändrad' };
  await expectProblem(t, app, { method: 'PUT', url, headers: bearer(jonkoping), payload: changed }, 428);
  const ok = await request(app, {
    method: 'PUT',
    url,
    headers: { ...bearer(jonkoping), 'if-match': etag },
    payload: changed,
  });
  t.equal(ok.response.statusCode, 200);
  t.equal(ok.body.name, 'Ändrad');
  t.equal(ok.response.headers.etag, '"2"');
  const stale = await expectProblem(
    t,
    app,
    {
      method: 'PUT',
      url,
      headers: { ...bearer(jonkoping), 'if-match': etag },
      payload: { ...entry, name: 'Sent' },
    },
    412,
  );
  t.equal(stale.code, 'precondition-failed');
  t.equal((await request(app, url)).body.name, 'Ändrad', 'the later change was not overwritten');
  await expectProblem(
    t,
    app,
    { method: 'PUT', url, headers: { ...bearer(jonkoping), 'if-match': 'W/"2"' }, payload: changed },
    412,
  );
  t.equal(
    (
      await request(app, {
        method: 'PUT',
        url,
        headers: { ...bearer(jonkoping), 'if-match': '"7", "2"' },
        payload: changed,
      })
    ).response.statusCode,
    200,
    'a list of tags matches when one does',
  );

  await expectProblem(
    t,
    app,
    { method: 'PUT', url, headers: { ...bearer(vastraGotaland), 'if-match': '*' }, payload: changed },
    403,
  );
  const moveAway = { ...entry, serviceArea: { municipalities: ['1490'] }, locations: [] };
  await expectProblem(
    t,
    app,
    { method: 'PUT', url, headers: { ...bearer(jonkoping), 'if-match': '*' }, payload: moveAway },
    403,
  );
  await expectProblem(
    t,
    app,
    { method: 'PUT', url, headers: { ...bearer(vastraGotaland), 'if-match': '*' }, payload: moveAway },
    403,
  );
  const mismatch = await expectProblem(
    t,
    app,
    {
      method: 'PUT',
      url,
      headers: { ...bearer(jonkoping), 'if-match': '*' },
      payload: { ...changed, id: '11111111-1111-4111-8111-111111111111' },
    },
    400,
  );
  t.equal(mismatch.errors[0].pointer, '/id');
  await expectProblem(
    t,
    app,
    {
      method: 'PUT',
      url: '/v1/resources/11111111-1111-4111-8111-111111111111',
      headers: { ...bearer(admin), 'if-match': '*' },
      payload: { ...changed, id: undefined },
    },
    404,
  );
});

t.test('retiring keeps the resource and its history; verifying sets lastVerified', async (t) => {
  const entry = inJonkoping({ name: 'Att stänga', lastVerified: '2020-01-01' });
  await create(jonkoping, entry);
  const url = `/v1/resources/${entry.id}`;
  await expectProblem(t, app, { method: 'POST', url: `${url}/verify`, headers: bearer(jonkoping) }, 428);
  const verified = await request(app, {
    method: 'POST',
    url: `${url}/verify`,
    headers: { ...bearer(jonkoping), 'if-match': '"1"' },
  });
  t.equal(verified.response.statusCode, 200);
  t.equal(verified.body.lastVerified, today);

  await expectProblem(t, app, { method: 'DELETE', url, headers: bearer(jonkoping) }, 428);
  await expectProblem(
    t,
    app,
    { method: 'DELETE', url, headers: { ...bearer(jonkoping), 'if-match': '"1"' } },
    412,
  );
  await expectProblem(
    t,
    app,
    { method: 'DELETE', url, headers: { ...bearer(vastraGotaland), 'if-match': '*' } },
    403,
  );
  const retired = await request(app, {
    method: 'DELETE',
    url,
    headers: { ...bearer(jonkoping), 'if-match': verified.response.headers.etag as string },
  });
  t.equal(retired.response.statusCode, 200);
  t.equal(retired.body.status, 'closed');
  t.equal(retired.body.activeUntil, today);
  t.equal((await request(app, url)).body.status, 'closed', 'still there');
  const twice = await expectProblem(
    t,
    app,
    { method: 'DELETE', url, headers: { ...bearer(jonkoping), 'if-match': '*' } },
    409,
  );
  t.equal(twice.code, 'already-retired');

  const history = await request(app, `${url}/history`);
  t.same(
    history.body.items.map((e: Body) => e.action),
    ['create', 'verify', 'retire'],
  );
  const retire = history.body.items[2];
  t.same(
    retire.changes.find((c: Body) => c.field === 'status'),
    { field: 'status', before: 'active', after: 'closed' },
  );
});

t.test('history: public, token names for admins only', async (t) => {
  const entry = inJonkoping({ name: 'Historik' });
  await create(jonkoping, entry);
  const url = `/v1/resources/${entry.id}/history`;
  const anonymous = await request(app, url);
  t.equal(anonymous.response.statusCode, 200);
  t.equal(anonymous.body.items[0].action, 'create');
  t.equal(anonymous.body.items[0].token, undefined);
  t.ok(
    anonymous.body.items[0].changes.some(
      (c: Body) => c.field === 'name' && c.before === null && c.after === 'Historik',
    ),
  );
  t.equal(
    (await request(app, { url, headers: bearer(jonkoping) })).body.items[0].token,
    undefined,
    'not to a county token',
  );
  t.equal((await request(app, { url, headers: bearer(admin) })).body.items[0].token, 'anna-06');
  const unknown = await expectProblem(t, app, `${url}?colour=red&limit=5`, 400);
  t.equal(unknown.code, 'validation-failed');
  t.same(unknown.errors, [{ in: 'query', name: 'colour', reason: 'unknown query parameter' }]);
  await expectProblem(t, app, '/v1/resources/11111111-1111-4111-8111-111111111111/history', 404);
});

t.test('a location made confidential leaves no trace of its address anywhere in the history', async (t) => {
  const secret = { street: 'Rosenlundsgatan 12', postalCode: '553 16', city: 'Jönköping' };
  const entry = inJonkoping({
    name: 'Skyddat boende Jönköping',
    locations: [
      { visibility: 'public', municipality: '0680', address: secret, lat: 57.77123, lon: 14.17456 },
    ],
  });
  await create(jonkoping, entry);
  const url = `/v1/resources/${entry.id}`;
  // A change that keeps the public address: the history now holds it before and after.
  const edited = await request(app, {
    method: 'PUT',
    url,
    headers: { ...bearer(jonkoping), 'if-match': '*' },
    payload: { ...entry, note: 'ändrad' },
  });
  t.equal(edited.response.statusCode, 200);
  t.match(edited.response.headers['content-type'], /^application\/json/);
  t.equal(edited.response.headers.etag, '"2"');
  t.equal(edited.body.note, 'ändrad');
  t.same(edited.body.locations, entry.locations, 'the address is still public here');
  const fixed = await request(app, {
    method: 'PUT',
    url,
    headers: { ...bearer(jonkoping), 'if-match': '*' },
    payload: { ...entry, locations: [{ visibility: 'confidential', municipality: '0680' }] },
  });
  t.equal(fixed.response.statusCode, 200);
  t.same(fixed.body.locations, [{ visibility: 'confidential', municipality: '0680' }]);
  for (const headers of [{}, bearer(admin)]) {
    const text = (await request(app, { url: `${url}/history`, headers })).response.body;
    for (const leaked of ['Rosenlundsgatan', '553 16', '57.77', '14.17'])
      t.notOk(text.includes(leaked), `no ${leaked}`);
    t.match(text, /"action":"update"/);
  }
  const stored = await queryRows(app, 'SELECT before, after FROM resource_history WHERE resource_id = ?', [
    entry.id,
  ]);
  t.equal(stored.length, 3, 'create and two updates');
  for (const leaked of ['Rosenlundsgatan', '553 16', '57.77', '14.17'])
    t.notOk(JSON.stringify(stored).includes(leaked), `no ${leaked} in the database either`);
});

t.test('the stale worklist', async (t) => {
  const { body } = await request(app, '/v1/resources/stale?county=06&olderThanDays=365&limit=100');
  t.ok(body.totalItems >= 17, 'the 2017–2018 report entries are due');
  t.ok(body.items.every((r: Body) => !r.serviceArea.national && r.status !== 'closed'));
  const dates = body.items.map((r: Body) => r.lastVerified);
  t.same(dates, [...dates].sort(), 'oldest first');
  const [first] = body.items;
  const etag = (await request(app, `/v1/resources/${first.id}`)).response.headers.etag as string;
  await request(app, {
    method: 'POST',
    url: `/v1/resources/${first.id}/verify`,
    headers: { ...bearer(jonkoping), 'if-match': etag },
  });
  const after = await request(app, '/v1/resources/stale?county=06&olderThanDays=365&limit=100');
  t.equal(after.body.totalItems, body.totalItems - 1, 'verified today: off the list');
  await expectProblem(t, app, '/v1/resources/stale', 400);
  await expectProblem(t, app, '/v1/resources/stale?county=99', 400);
  await expectProblem(t, app, '/v1/resources/stale?county=06&olderThanDays=-1', 400);
});

t.test(
  'an organisation shared across counties keeps its number: an entry may fill it in, not replace it',
  async (t) => {
    const organization = { name: 'Delad Organisation', type: 'ideell' as const };
    const first = inJonkoping({ organization: { ...organization, organisationNumber: '802000-1668' } });
    t.equal((await create(admin, first)).response.statusCode, 201);
    const other = resourceInput({
      serviceArea: { municipalities: ['1490'] },
      organization: { ...organization, organisationNumber: '556677-8899' },
    });
    t.equal((await create(vastraGotaland, other)).response.statusCode, 201);
    t.equal(
      (await request(app, `/v1/resources/${first.id}`)).body.organization.organisationNumber,
      '802000-1668',
    );
  },
);

t.test('only a hash of a token is ever stored', async (t) => {
  const token = await createToken(app.tokens, 'hashed-06', { kind: 'county', county: '06' });
  const created = await create(token, inJonkoping({ name: 'Med en ny token' }));
  t.equal(created.response.statusCode, 201, 'the token works');
  t.match(created.response.headers['content-type'], /^application\/json/);
  t.equal(created.body.name, 'Med en ny token');

  const secret = token.slice('stk_'.length);
  // Every table of the app's own (SQLite: the file; PostgreSQL: the public schema, not PostGIS's).
  const tables = (
    await queryRows<{ name: string }>(
      app,
      app.store.engine === 'sqlite'
        ? "SELECT name FROM sqlite_master WHERE type = 'table'"
        : "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'spatial_ref_sys'",
    )
  ).map((row) => row.name);
  t.ok(tables.includes('api_tokens') && tables.includes('resource_history'), 'the tables are found');
  for (const table of tables) {
    const rows = await queryRows(app, `SELECT * FROM "${table}"`);
    t.notOk(JSON.stringify(rows).includes(secret), `${table} never holds the token`);
  }
  const [stored] = await queryRows<{ token_hash: string }>(
    app,
    'SELECT token_hash FROM api_tokens WHERE name = ?',
    ['hashed-06'],
  );
  t.equal(stored?.token_hash, createHash('sha256').update(token).digest('hex'), 'its SHA-256 is stored');
});
