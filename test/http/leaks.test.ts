// A sheltered address published by mistake and then made confidential must vanish from everything the
// service answers: every GET route of the OpenAPI document, exports, HSDS, history, searches and errors.

import t from 'tap';
import { createToken } from '../../src/auth/tokens.js';
import { type Body, buildTestApp, importEntries, request, withdrawAddress } from '../helpers/app.js';
import { resourceInput } from '../helpers/fixtures.js';

const app = await buildTestApp(t, { RATE_LIMIT_READS: '1000000', RATE_LIMIT_WRITES: '1000000' });
const admin = await createToken(app.tokens, 'leak-admin', { kind: 'admin' });
const headers = { authorization: `Bearer ${admin}` };
const secrets = ['Läckgatan', '553 99', '57.7654', '14.1567'];

const entry = resourceInput({
  name: 'Skyddat boende Läcktest',
  kind: 'kvinnojour',
  serviceArea: { municipalities: ['0680'] },
  locations: [
    {
      visibility: 'public',
      municipality: '0680',
      address: { street: 'Läckgatan 99', postalCode: '553 99', city: 'Jönköping' },
      lat: 57.76543,
      lon: 14.15678,
    },
  ],
});
// A subtest, not the top level: tap ends the root test once it is idle after an assertion (it has a
// teardown), and a write on PostgreSQL outlasts the two turns of the event loop it waits.
t.test('the address is published, then withdrawn', async (t) => {
  t.equal(
    (await request(app, { method: 'POST', url: '/v1/resources', headers, payload: entry })).response
      .statusCode,
    201,
  );
  const before = await request(app, `/v1/resources/${entry.id}`);
  t.match(before.response.body, /Läckgatan/, 'the address was published at first');
  const fixed = await withdrawAddress(app, headers, entry, before.response.headers.etag as string);
  t.equal(fixed.response.statusCode, 200);
});

const seen: string[] = [];
async function crawl(options: Parameters<typeof request>[1]) {
  const { response } = await request(app, options);
  const label = typeof options === 'string' ? options : `${options.method ?? 'GET'} ${options.url}`;
  seen.push(label);
  for (const secret of secrets) {
    if (response.body.includes(secret)) t.fail(`${label} reveals ${secret}`);
    for (const [name, value] of Object.entries(response.headers)) {
      if (String(value).includes(secret)) t.fail(`${label} reveals ${secret} in header ${name}`);
    }
  }
  return response;
}

t.test('every GET route of the contract, with every path and required parameter filled in', async (t) => {
  const document = app.swagger() as unknown as {
    paths: Record<string, { get?: { parameters?: { name: string; in: string; required?: boolean }[] } }>;
  };
  const organizations = (await request(app, '/hsds/organizations?per_page=100')).body.contents as Body[];
  const organization =
    organizations.find((o: Body) => o.name === entry.organization.name)?.id ?? organizations[0]?.id;
  const pathValue = (path: string, name: string) => {
    if (name === 'id') return path.startsWith('/hsds/organizations') ? organization : entry.id;
    if (name === 'code') return path.includes('counties') ? '06' : '0680';
    return 'x';
  };
  const queryValue: Record<string, string> = {
    lat: '57.7654',
    lon: '14.1567',
    county: '06',
    limit: '100',
    per_page: '100',
  };
  let crawled = 0;
  for (const [path, item] of Object.entries(document.paths)) {
    if (!item.get) continue;
    const url = path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(pathValue(path, name)));
    const query = new URLSearchParams();
    for (const p of item.get.parameters ?? []) {
      if (
        p.in === 'query' &&
        (p.required || p.name === 'limit' || p.name === 'per_page') &&
        queryValue[p.name]
      ) {
        query.set(p.name, queryValue[p.name] as string);
      }
    }
    // The nearby query itself carries coordinates close to the secret ones on purpose; only answers count.
    const response = await crawl(query.size ? `${url}?${query}` : url);
    t.ok(response.statusCode < 500, `${url} answers ${response.statusCode}`);
    crawled += 1;
  }
  t.ok(crawled >= 25, `${crawled} GET routes crawled`);
});

t.test('exports, HSDS, history, searches and errors', async (t) => {
  for (const url of [
    '/v1/export/resources.csv',
    '/v1/export/resources.geojson',
    '/v1/export/resources.ndjson',
    `/v1/resources/${entry.id}/history`,
    '/v1/resources?q=L%C3%A4ckgatan',
    '/v1/resources?q=Skyddat%20boende%20L%C3%A4cktest',
    '/v1/resources?municipality=0680&limit=100&status=active&status=planned&status=inactive&status=closed',
    '/v1/resources/nearby?lat=57.7654&lon=14.1567&radiusKm=5&limit=100',
    `/hsds/services/${entry.id}`,
    '/hsds/services?per_page=100',
    '/hsds/service_at_locations?per_page=100',
    '/v1/coverage?county=06',
    '/v1/coverage?county=06&format=csv',
  ]) {
    const response = await crawl(url);
    t.equal(response.statusCode, 200, url);
  }
  await crawl({ url: `/v1/resources/${entry.id}/history`, headers });
  await crawl({
    method: 'POST',
    url: '/v1/resources/search',
    payload: { lat: 57.7654, lon: 14.1567, radiusKm: 5 },
  });
  // An attempt to store the address again is refused without repeating it.
  const refused = await crawl({
    method: 'PUT',
    url: `/v1/resources/${entry.id}`,
    headers: { ...headers, 'if-match': '*' },
    payload: {
      ...entry,
      locations: [
        {
          visibility: 'confidential',
          municipality: '0680',
          address: entry.locations[0]?.address,
          lat: 57.76543,
          lon: 14.15678,
        },
      ],
    },
  });
  t.equal(refused.statusCode, 400);
  const hits = (await request(app, '/v1/resources?q=L%C3%A4ckgatan')).body;
  t.equal(hits.totalItems, 0, 'the old street is not even searchable');
  t.ok(seen.length > 15);
});

t.test('an import that makes a location confidential scrubs the history the API wrote', async (t) => {
  const published = resourceInput({
    name: 'Importtest',
    serviceArea: { municipalities: ['0680'] },
    locations: [
      {
        visibility: 'public',
        municipality: '0680',
        address: { street: 'Importgatan 7', postalCode: '553 77', city: 'Jönköping' },
        lat: 57.71234,
        lon: 14.11234,
      },
    ],
  });
  await request(app, { method: 'POST', url: '/v1/resources', headers, payload: published });
  t.match((await request(app, `/v1/resources/${published.id}/history`)).response.body, /Importgatan/);
  const confidential = {
    ...published,
    locations: [{ visibility: 'confidential' as const, municipality: '0680' }],
  };
  await importEntries(app, [confidential], { source: 'import.json', today: '2026-11-23' });
  const history = (await request(app, { url: `/v1/resources/${published.id}/history`, headers })).response
    .body;
  for (const secret of ['Importgatan', '553 77', '57.712', '14.112'])
    t.notOk(history.includes(secret), `no ${secret}`);
});

t.test('answers that reveal roughly where the asker is are never cached', async (t) => {
  for (const options of [
    '/v1/resources/nearby?lat=57.7&lon=12.9',
    '/v1/places/lookup?lat=57.7&lon=12.9',
    { method: 'POST' as const, url: '/v1/resources/search', payload: { lat: 57.7, lon: 12.9 } },
  ]) {
    t.equal((await request(app, options)).response.headers['cache-control'], 'no-store');
  }
});
