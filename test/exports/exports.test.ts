// The downloads on the real app: CSV, GeoJSON and NDJSON of every resource, conditional requests, and
// nothing of a confidential location beyond its municipality.
import { parse } from 'csv-parse/sync';
import t from 'tap';
import { exportBatchSize, resourcesInIdOrder } from '../../src/exports/repository.js';
import type { Resource } from '../../src/resources/schemas.js';
import { type Body, buildTestApp, expectProblem, request } from '../helpers/app.js';
import { resourceInput } from '../helpers/fixtures.js';
import { allStatuses, closed, planned, shelter, storeEntries } from './open-data-fixtures.js';

const app = await buildTestApp(t);
await storeEntries(app, [shelter, planned, closed]);

async function everyResource(): Promise<Body[]> {
  const items: Body[] = [];
  for (let page = 1; ; page++) {
    const { body } = await request(app, `/v1/resources?limit=100&page=${page}&${allStatuses}`);
    items.push(...body.items);
    if (page >= body.totalPages) return items;
  }
}

async function download(path: string, headers: Record<string, string> = {}) {
  const response = await app.inject({ url: path, headers });
  return response;
}

t.test('CSV: one row per resource of every status, UTF-8 with BOM', async (t) => {
  const response = await download('/v1/export/resources.csv');
  t.equal(response.statusCode, 200);
  t.equal(response.headers['content-type'], 'text/csv; charset=utf-8');
  t.equal(response.headers['content-disposition'], 'attachment; filename="stodkartan-resources.csv"');
  t.ok(response.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'starts with a BOM');
  t.match(response.body, /\r\n/, 'CRLF line ends');
  const rows = parse(response.body, { bom: true, columns: true }) as Record<string, string>[];
  const header = Object.keys(rows[0] ?? {});
  t.same(header, [
    'id',
    'name',
    'kind',
    'status',
    'activeFrom',
    'activeUntil',
    'audiences',
    'organization',
    'organizationType',
    'national',
    'cells',
    'municipalities',
    'phone',
    'email',
    'website',
    'chat',
    'visitingAddresses',
    'open24h',
    'hours',
    'openingHours',
    'locationOpeningHours',
    'languages',
    'anonymous',
    'withoutReferral',
    'freeOfCharge',
    'ageMin',
    'ageMax',
    'sourceTitle',
    'sourceUrl',
    'sourceSeen',
    'sources',
    'lastVerified',
    'updatedAt',
  ]);
  const all = await everyResource();
  t.same(rows.map((r) => r.id).sort(), all.map((r) => r.id).sort(), 'the same resources as /v1/resources');
  t.same(
    rows.map((r) => r.id),
    [...rows.map((r) => r.id)].sort(),
    'in id order',
  );
  const row = rows.find((r) => r.id === shelter.id) as Record<string, string>;
  t.equal(row.cells, 'close-relationship/subjected/women;honour-related/subjected/girls');
  t.equal(row.municipalities, '1490;1491');
  t.equal(row.audiences, 'individuals;professionals');
  t.equal(row.languages, 'sv;ar');
  t.equal(row.anonymous, 'true');
  t.equal(row.ageMin, '18');
  t.equal(row.organization, 'Testkommunen');
  t.equal(row.sourceUrl, 'https://example.org/kalla');
  t.equal(rows.find((r) => r.id === closed.id)?.status, 'closed');
  const national = rows.find((r) => r.national === 'true') as Record<string, string>;
  t.equal(national.municipalities, '', 'a national resource lists no municipalities');
  t.equal(row.visitingAddresses, 'Storgatan 1, 503 30 Borås', 'the public address, not the confidential one');
  t.equal(row.hours, 'Mån–fre 9–16');
  t.equal(row.sourceSeen, '2026-01-10');
  t.equal(
    row.sources,
    'contact,locations,hours: Testjouren: kontakt <https://example.org/testjouren/kontakt> (2026-01-12)',
  );
  t.equal(response.body.match(/Storgatan/g)?.length, 1, 'one address: the confidential location has none');
});

t.test('GeoJSON: public locations with coordinates only', async (t) => {
  const response = await download('/v1/export/resources.geojson');
  t.equal(response.statusCode, 200);
  t.equal(response.headers['content-type'], 'application/geo+json');
  t.match(response.headers['content-disposition'], /filename="stodkartan-resources\.geojson"/);
  const collection = response.json();
  t.equal(collection.type, 'FeatureCollection');
  const all = await everyResource();
  const expected = all.flatMap((r) =>
    (r.locations as Body[]).filter((l) => l.visibility === 'public' && l.lat !== undefined).map(() => r.id),
  );
  t.same(
    collection.features.map((f: Body) => f.properties.resourceId).sort(),
    expected.sort(),
    'one feature per public location with coordinates',
  );
  const ours = collection.features.filter((f: Body) => f.properties.resourceId === shelter.id);
  t.same(ours, [
    {
      type: 'Feature',
      id: `${shelter.id}/0`,
      geometry: { type: 'Point', coordinates: [12.94, 57.721] },
      properties: {
        resourceId: shelter.id,
        name: 'Testjouren Borås',
        kind: 'kvinnojour',
        status: 'active',
        municipality: '1490',
      },
    },
  ]);
  t.ok(
    collection.features.some((f: Body) => f.properties.resourceId === planned.id),
    'planned resources are on the map too, with their status',
  );
});

t.test('NDJSON: each line exactly as GET /v1/resources/{id}', async (t) => {
  const response = await download('/v1/export/resources.ndjson');
  t.equal(response.statusCode, 200);
  t.equal(response.headers['content-type'], 'application/x-ndjson');
  t.ok(response.body.endsWith('\n'));
  const lines = response.body.trimEnd().split('\n');
  t.equal(lines.length, (await everyResource()).length);
  for (const line of lines) {
    const resource = JSON.parse(line);
    const { body } = await request(app, `/v1/resources/${resource.id}`);
    t.same(resource, body, `${resource.name}`);
  }
  const sheltered = JSON.parse(lines.find((l) => l.includes(shelter.id as string)) as string);
  t.same(sheltered.locations[1], { visibility: 'confidential', municipality: '1490' });
});

t.test('conditional requests: ETag and Last-Modified, 304 when current', async (t) => {
  for (const path of [
    '/v1/export/resources.csv',
    '/v1/export/resources.geojson',
    '/v1/export/resources.ndjson',
  ]) {
    const first = await download(path);
    const etag = first.headers.etag as string;
    const lastModified = first.headers['last-modified'] as string;
    t.match(etag, /^"[\w-]+"$/, `${path} has a strong ETag`);
    t.ok(Date.parse(lastModified) > 0, 'and a Last-Modified');
    t.equal(first.headers['cache-control'], 'no-cache');

    const notModified = await download(path, { 'if-none-match': etag });
    t.equal(notModified.statusCode, 304);
    t.equal(notModified.body, '');
    t.equal(notModified.headers.etag, etag);
    t.equal((await download(path, { 'if-none-match': `"stale", W/${etag}` })).statusCode, 304, 'weak match');
    t.equal((await download(path, { 'if-none-match': '"stale"' })).statusCode, 200);
    t.equal((await download(path, { 'if-modified-since': lastModified })).statusCode, 304);
    t.equal((await download(path, { 'if-modified-since': 'Thu, 01 Jan 2015 00:00:00 GMT' })).statusCode, 200);
    t.equal(
      (await download(path, { 'if-modified-since': 'yesterday' })).statusCode,
      200,
      'a bad date is ignored',
    );
    t.equal(
      (await download(path, { 'if-none-match': '"stale"', 'if-modified-since': lastModified })).statusCode,
      200,
      'If-None-Match decides when both are sent',
    );
  }
  const csv = (await download('/v1/export/resources.csv')).headers.etag;
  const ndjson = (await download('/v1/export/resources.ndjson')).headers.etag;
  t.not(csv, ndjson, 'each format has its own ETag');
});

t.test('a change to the data changes the ETag', async (t) => {
  const before = (await download('/v1/export/resources.ndjson')).headers.etag as string;
  await storeEntries(app, [resourceInput({ id: '3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e7f', name: 'Ny jour' })]);
  const after = await download('/v1/export/resources.ndjson', { 'if-none-match': before });
  t.equal(after.statusCode, 200);
  t.not(after.headers.etag, before);
  t.match(after.body, /Ny jour/);
});

t.test('HEAD answers the headers without the body', async (t) => {
  const response = await app.inject({ method: 'HEAD', url: '/v1/export/resources.csv' });
  t.equal(response.statusCode, 200);
  t.equal(response.body, '');
  t.ok(response.headers.etag);
});

t.test('unknown query parameters are refused', async (t) => {
  const problem = await expectProblem(t, app, '/v1/export/resources.csv?county=06', 400);
  t.equal(problem.errors[0].name, 'county');
});

t.test('batches: id order, and a write in the middle of a download succeeds', async (t) => {
  t.equal(exportBatchSize, 500);
  const batches = resourcesInIdOrder(app.resources, 3);
  const first = await batches.next();
  t.equal(first.value?.length, 3);
  // A slow client holds the generator between batches; the shared connection must stay free for writes.
  await t.resolves(
    storeEntries(app, [resourceInput({ id: 'ffffffff-0000-4000-8000-000000000000', name: 'Sist i listan' })]),
  );
  const rest: Resource[] = [];
  for await (const batch of batches) rest.push(...batch);
  const ids = [...(first.value ?? []), ...rest].map((r) => r.id);
  t.same(ids, [...ids].sort(), 'in id order across batches');
  t.equal(new Set(ids).size, ids.length, 'no resource twice');
  t.equal(
    ids.at(-1),
    'ffffffff-0000-4000-8000-000000000000',
    'a resource added meanwhile with a later id is in',
  );
  t.equal(ids.length, (await everyResource()).length);
});

t.test('CSV cells a spreadsheet would run as formulas are defused', async (t) => {
  const { spreadsheetSafe } = await import('../../src/exports/formats.js');
  t.equal(
    spreadsheetSafe('=HYPERLINK("http://evil.example","klicka")'),
    `'=HYPERLINK("http://evil.example","klicka")`,
  );
  t.equal(spreadsheetSafe('@SUM(A1)'), "'@SUM(A1)");
  t.equal(spreadsheetSafe('+cmd|calc'), "'+cmd|calc");
  t.equal(spreadsheetSafe('-12.5'), '-12.5', 'a negative number is data, not a formula');
  t.equal(spreadsheetSafe('-2+3'), "'-2+3", 'but arithmetic is a formula');
  t.equal(spreadsheetSafe('+4620505050'), '+4620505050', 'a phone number is left alone');
  t.equal(spreadsheetSafe('Kvinnojouren'), 'Kvinnojouren');
  await storeEntries(app, [
    resourceInput({ id: '4d5e6f7a-8b9c-4d0e-8f1a-3b4c5d6e7f8a', name: '=1+1 jouren' }),
  ]);
  const rows = parse((await download('/v1/export/resources.csv')).body, {
    bom: true,
    columns: true,
  }) as Record<string, string>[];
  t.equal(rows.find((r) => r.id === '4d5e6f7a-8b9c-4d0e-8f1a-3b4c5d6e7f8a')?.name, "'=1+1 jouren");
});
