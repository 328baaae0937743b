// The HSDS view's own questions through the store interface (src/db/store.ts HsdsStore): the same answers,
// in the same order, on both engines (PostgreSQL when TEST_DATABASE_URL is set, skipped with a message
// otherwise). The HSDS routes read them from here (test/hsds covers the routes on SQLite).
import { randomUUID } from 'node:crypto';
import t, { type Test } from 'tap';
import { migrateDatabase, openDatabase } from '../../src/db/client.js';
import { migratePostgres, openPostgres } from '../../src/db/postgres/client.js';
import { PostgresHsdsStore } from '../../src/db/postgres/hsds-store.js';
import { PostgresResourceStore } from '../../src/db/postgres/resource-store.js';
import { SqliteHsdsStore } from '../../src/db/sqlite/hsds-store.js';
import { SqliteResourceStore } from '../../src/db/sqlite/resource-store.js';
import type { HsdsStore, ResourceStore } from '../../src/db/store.js';
import { loadPlaces } from '../../src/places/places.js';
import { parseCuratedDataset } from '../../src/resources/dataset.js';
import { type NormalizedResource, validateResource } from '../../src/resources/validation.js';
import { loadVocabulary } from '../../src/vocabulary/vocabulary.js';
import { resourceInput } from '../helpers/fixtures.js';
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
  hsds: HsdsStore;
  resources: ResourceStore;
}

const engines: { name: string; skip: string | false; open: (t: Test) => Promise<Opened> }[] = [
  {
    name: 'SQLite',
    skip: false,
    open: async (t) => {
      const database = openDatabase(`${t.testdir({})}/hsds.db`);
      t.teardown(() => database.close());
      migrateDatabase(database);
      return { hsds: new SqliteHsdsStore(database), resources: new SqliteResourceStore(database) };
    },
  },
  {
    name: 'PostgreSQL',
    skip: skipWithoutPostgres,
    open: async (t) => {
      const database = openPostgres(await freshPostgresDatabase(t), { max: 2 });
      t.teardown(() => database.close());
      await migratePostgres(database);
      return { hsds: new PostgresHsdsStore(database), resources: new PostgresResourceStore(database) };
    },
  },
];

function normalized(input: Parameters<typeof validateResource>[0]): NormalizedResource {
  const result = validateResource(input, context);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.resource;
}

// The curated dataset, and two resources whose ids and organisation names order differently by bytes than
// by a language's rules (upper case before lower case, Å after Z), one with three locations.
const extra = [
  normalized(
    resourceInput({
      id: 'Zz-hsds-test',
      organization: { name: 'Åjouren', type: 'ideell' },
      locations: [
        { visibility: 'public', municipality: '1490', lat: 57.72, lon: 12.94 },
        { visibility: 'confidential', municipality: '1490' },
        { visibility: 'public', municipality: '1490', lat: 57.73, lon: 12.95 },
      ],
    }),
  ),
  normalized(resourceInput({ id: 'aa-hsds-test', organization: { name: 'zebrajouren', type: 'ideell' } })),
];

async function answers(hsds: HsdsStore) {
  const organizations = await hsds.organizationsWithServices();
  return {
    firstPage: await hsds.serviceIds({ offset: 0, limit: 5 }),
    secondPage: await hsds.serviceIds({ offset: 5, limit: 5 }),
    all: await hsds.serviceIds({ offset: 0, limit: 1_000 }),
    organizations,
    ofOrganization: await hsds.serviceIdsOfOrganization({ name: 'Åjouren', type: 'ideell' }),
    locations: await hsds.countLocations(),
    locationsPage: await hsds.locationsPage({ offset: 0, limit: 1_000 }),
  };
}

async function filled(opened: Opened): Promise<Opened> {
  const curated = parseCuratedDataset(context);
  await opened.resources.importDataset(
    { ...curated, resources: [...curated.resources, ...extra] },
    { tokenName: null, at: new Date('2026-12-01T09:00:00Z') },
  );
  return opened;
}

for (const engine of engines) {
  t.test(`the HSDS questions on ${engine.name}`, { skip: engine.skip }, async (t) => {
    const found = await answers((await filled(await engine.open(t))).hsds);
    t.ok(
      found.all.indexOf('Zz-hsds-test') < found.all.indexOf('aa-hsds-test'),
      'ids in byte order: upper case before lower case',
    );
    t.same(found.firstPage, found.all.slice(0, 5));
    t.same(found.secondPage, found.all.slice(5, 10), 'pages cut from that order');
    t.same(
      found.organizations.slice(-2).map((o) => o.name),
      ['zebrajouren', 'Åjouren'],
      'organisations by bytes: Å after z',
    );
    t.same(found.ofOrganization, ['Zz-hsds-test']);
    t.equal(found.locationsPage.length, found.locations);
    t.same(
      found.locationsPage.filter((l) => l.resourceId === 'Zz-hsds-test'),
      [0, 1, 2].map((index) => ({ resourceId: 'Zz-hsds-test', index })),
      'each location with its index among its resource’s',
    );
  });
}

t.test('both engines answer the HSDS questions alike', { skip: skipWithoutPostgres }, async (t) => {
  const [sqlite, postgres] = await Promise.all(engines.map(async (engine) => filled(await engine.open(t))));
  if (!sqlite || !postgres) throw new Error('two engines');
  t.same(await answers(postgres.hsds), await answers(sqlite.hsds), 'ids, organisations, locations, in order');
});
