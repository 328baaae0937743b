// The exports of an empty dataset are still well-formed files. (Its own file: building a second app in a
// test file blocks the event loop long enough for the overload guard to answer the first one with 503.)
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';

const app = await buildTestApp(t, { SEED_IF_EMPTY: 'false' });

t.test('an empty dataset: an empty FeatureCollection, a header-only CSV, an empty NDJSON', async (t) => {
  const response = await app.inject('/v1/export/resources.geojson');
  t.same(response.json(), { type: 'FeatureCollection', features: [] });
  t.notOk(response.headers['last-modified'], 'no Last-Modified without resources');
  const csv = await app.inject('/v1/export/resources.csv');
  t.equal(csv.body.split('\r\n').filter(Boolean).length, 1, 'the CSV header alone');
  t.equal((await app.inject('/v1/export/resources.ndjson')).body, '');
});
