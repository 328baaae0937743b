// The exports read through the store interface: the same files, byte for byte, from both engines (PostgreSQL
// when TEST_DATABASE_URL is set, skipped with a message otherwise), and the same Last-Modified.
import type { Readable } from 'node:stream';
import t from 'tap';
import { migrateDatabase, openDatabase } from '../../src/db/client.js';
import { migratePostgres, openPostgres } from '../../src/db/postgres/client.js';
import { PostgresResourceStore } from '../../src/db/postgres/resource-store.js';
import { SqliteResourceStore } from '../../src/db/sqlite/resource-store.js';
import type { ResourceStore } from '../../src/db/store.js';
import { exportVersion } from '../../src/exports/repository.js';
import { csvStream, geojsonStream, ndjsonStream } from '../../src/exports/streams.js';
import { loadPlaces } from '../../src/places/places.js';
import { parseCuratedDataset } from '../../src/resources/dataset.js';
import { loadVocabulary } from '../../src/vocabulary/vocabulary.js';
import { freshPostgresDatabase, skipWithoutPostgres } from '../helpers/postgres.js';

const text = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
};

t.test('both engines export the same files', { skip: skipWithoutPostgres }, async (t) => {
  const sqlite = openDatabase(`${t.testdir({})}/exports.db`);
  t.teardown(() => sqlite.close());
  migrateDatabase(sqlite);
  const postgres = openPostgres(await freshPostgresDatabase(t), { max: 2 });
  t.teardown(() => postgres.close());
  await migratePostgres(postgres);
  const dataset = parseCuratedDataset({
    places: loadPlaces(sqlite.db),
    vocabulary: loadVocabulary(sqlite.db),
    today: '2026-12-01',
  });
  const stores: ResourceStore[] = [new SqliteResourceStore(sqlite), new PostgresResourceStore(postgres)];
  for (const store of stores)
    await store.importDataset(dataset, { tokenName: null, at: new Date('2026-12-01T08:00:00.250Z') });
  const exported = async (store: ResourceStore) => ({
    csv: await text(csvStream(store, ';')),
    geojson: await text(geojsonStream(store)),
    ndjson: await text(ndjsonStream(store)),
    lastModified: (await exportVersion({ datasetVersion: async () => 1 }, store, 'x')).lastModified,
  });
  const [fromSqlite, fromPostgres] = [
    await exported(stores[0] as ResourceStore),
    await exported(stores[1] as ResourceStore),
  ];
  t.equal(fromSqlite.ndjson.split('\n').length - 1, dataset.resources.length, 'every resource, one a line');
  t.equal(fromPostgres.csv, fromSqlite.csv, 'CSV');
  t.equal(fromPostgres.geojson, fromSqlite.geojson, 'GeoJSON');
  t.equal(fromPostgres.ndjson, fromSqlite.ndjson, 'NDJSON');
  t.same(fromPostgres.lastModified, new Date('2026-12-01T08:00:00.250Z'));
  t.same(fromPostgres.lastModified, fromSqlite.lastModified, 'Last-Modified');
});
