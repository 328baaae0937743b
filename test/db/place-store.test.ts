// Inventories and municipality boundaries through the store interface (src/db/store.ts PlaceStore): the
// same answers on both engines, SQLite always and PostgreSQL when TEST_DATABASE_URL is set (skipped with a
// message otherwise). The places routes read them from here (test/places covers the routes on SQLite).
import { randomUUID } from 'node:crypto';
import t, { type Test } from 'tap';
import { migrateDatabase, openDatabase } from '../../src/db/client.js';
import { migratePostgres, openPostgres } from '../../src/db/postgres/client.js';
import { PostgresPlaceStore } from '../../src/db/postgres/place-store.js';
import { PostgresResourceStore } from '../../src/db/postgres/resource-store.js';
import { SqlitePlaceStore } from '../../src/db/sqlite/place-store.js';
import { SqliteResourceStore } from '../../src/db/sqlite/resource-store.js';
import type { PlaceStore, ResourceStore } from '../../src/db/store.js';
import { loadPlaces } from '../../src/places/places.js';
import { type ParsedDataset, parseCuratedDataset } from '../../src/resources/dataset.js';
import { loadVocabulary } from '../../src/vocabulary/vocabulary.js';
import { freshPostgresDatabase, skipWithoutPostgres } from '../helpers/postgres.js';

const reference = openDatabase(`${t.testdir({})}/reference.db`);
migrateDatabase(reference);
const context = {
  places: loadPlaces(reference.db),
  vocabulary: loadVocabulary(reference.db),
  today: '2026-12-01',
  newId: randomUUID,
};
reference.close();

interface Opened {
  places: PlaceStore;
  resources: ResourceStore;
}

const engines: { name: string; skip: string | false; open: (t: Test) => Promise<Opened> }[] = [
  {
    name: 'SQLite',
    skip: false,
    open: async (t) => {
      const database = openDatabase(`${t.testdir({})}/places.db`);
      t.teardown(() => database.close());
      migrateDatabase(database);
      return { places: new SqlitePlaceStore(database), resources: new SqliteResourceStore(database) };
    },
  },
  {
    name: 'PostgreSQL',
    skip: skipWithoutPostgres,
    open: async (t) => {
      const database = openPostgres(await freshPostgresDatabase(t), { max: 2 });
      t.teardown(() => database.close());
      await migratePostgres(database);
      return { places: new PostgresPlaceStore(database), resources: new PostgresResourceStore(database) };
    },
  },
];

const meta = { tokenName: null, at: new Date('2026-12-01T09:00:00Z') };

/** The curated dataset, plus a newer inventory of Jönköping's county that must replace the curated one. */
function dataset(): ParsedDataset {
  const curated = parseCuratedDataset(context);
  return {
    ...curated,
    inventories: [
      ...curated.inventories,
      {
        county: '06',
        completedOn: '2099-01-31',
        completeness: 'selection',
        source: { title: 'A later inventory' },
        notAssessed: [{ area: 'honour-related' }],
      },
      // The first county by code, the last by date: the map's order is by date on both engines.
      { county: '01', completedOn: '1999-01-31', completeness: 'complete', source: { title: 'An old one' } },
    ],
  };
}

const answers = async (places: PlaceStore) => ({
  inventories: [...(await places.latestInventories())],
  boundary: await places.municipalityBoundary('0680'),
  unknown: await places.municipalityBoundary('9999'),
});

for (const engine of engines) {
  t.test(`inventories and boundaries on ${engine.name}`, { skip: engine.skip }, async (t) => {
    const opened = await engine.open(t);
    t.same([...(await opened.places.latestInventories())], [], 'no inventory before an import');
    await opened.resources.importDataset(dataset(), meta);
    const { inventories, boundary, unknown } = await answers(opened.places);
    t.ok(inventories.length > 0);
    t.same(
      inventories[0],
      [
        '06',
        {
          completedOn: '2099-01-31',
          completeness: 'selection',
          source: { title: 'A later inventory' },
          notAssessed: [{ area: 'honour-related' }],
        },
      ],
      'the latest inventory of a county, newest first',
    );
    t.match(boundary, { type: /Polygon/ }, 'a GeoJSON geometry');
    t.equal(unknown, undefined, 'none for an unknown code');
  });
}

t.test('both engines answer alike', { skip: skipWithoutPostgres }, async (t) => {
  const opened = await Promise.all(engines.map((engine) => engine.open(t)));
  for (const { resources } of opened) await resources.importDataset(dataset(), meta);
  const [sqlite, postgres] = await Promise.all(opened.map(({ places }) => answers(places)));
  t.same(postgres, sqlite, 'inventories (in the same order) and boundaries');
});
