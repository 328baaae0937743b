// Every open-data view counts the same resources as /v1/resources with every status asked for.
import t from 'tap';
import { type Body, buildTestApp, request } from '../helpers/app.js';
import { allStatuses, closed, planned, shelter, storeEntries } from './open-data-fixtures.js';

const app = await buildTestApp(t);
await storeEntries(app, [shelter, planned, closed]);

t.test('the exports and the HSDS view agree with /v1/resources', async (t) => {
  const resources: Body[] = [];
  for (let page = 1; ; page++) {
    const { body } = await request(app, `/v1/resources?limit=100&page=${page}&${allStatuses}`);
    resources.push(...body.items);
    if (page >= body.totalPages) break;
  }
  const { body: first } = await request(app, `/v1/resources?limit=1&${allStatuses}`);
  t.equal(resources.length, first.totalItems);
  t.ok(resources.length > 40, 'the curated dataset and the fixtures');
  const ids = resources.map((r) => r.id).sort();

  const csv = (await app.inject('/v1/export/resources.csv')).body.trim().split('\r\n');
  t.equal(csv.length - 1, resources.length, 'CSV rows');

  const ndjson = (await app.inject('/v1/export/resources.ndjson')).body.trim().split('\n');
  t.same(
    ndjson.map((line) => JSON.parse(line).id),
    ids,
    'NDJSON lines',
  );

  const withCoordinates = resources.filter((r) =>
    (r.locations as Body[]).some((l) => l.visibility === 'public' && l.lat !== undefined),
  );
  const geojson = (await app.inject('/v1/export/resources.geojson')).json();
  t.same(
    [...new Set(geojson.features.map((f: Body) => f.properties.resourceId))].sort(),
    withCoordinates.map((r) => r.id).sort(),
    'GeoJSON: every resource with a public location on the map',
  );

  const hsds = (await app.inject('/hsds/services?per_page=100')).json();
  t.equal(hsds.total_items, resources.length, 'HSDS services');
  const hsdsIds: string[] = [];
  for (let page = 1; page <= hsds.total_pages; page++) {
    hsdsIds.push(
      ...(await app.inject(`/hsds/services?per_page=100&page=${page}`))
        .json()
        .contents.map((s: Body) => s.id),
    );
  }
  t.same(hsdsIds, ids, 'the same ids');

  const locations = resources.reduce((n, r) => n + r.locations.length, 0);
  t.equal((await app.inject('/hsds/service_at_locations')).json().total_items, locations, 'HSDS locations');
});
