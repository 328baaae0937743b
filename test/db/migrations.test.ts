// Migrations from an empty database, the reference data, and a second start on the same database.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { migrateDatabase, openDatabase } from '../../src/db/client.js';
import { datasetVersion } from '../../src/db/dataset-version.js';
import { prepareDatabase } from '../../src/db/sqlite/open.js';
import { loadPlaces } from '../../src/places/places.js';
import { parseCuratedDataset } from '../../src/resources/dataset.js';
import { loadVocabulary } from '../../src/vocabulary/vocabulary.js';
import { testConfig } from '../helpers/app.js';

const count = (db: ReturnType<typeof openDatabase>, sql: string) =>
  (db.sqlite.prepare(sql).get() as { n: number }).n;

t.test('an empty database gets the schema and the reference data', async (t) => {
  const database = openDatabase(`${t.testdir({})}/empty.db`);
  t.teardown(() => database.close());
  migrateDatabase(database);
  t.equal(count(database, 'SELECT count(*) n FROM counties'), 21);
  t.equal(count(database, 'SELECT count(*) n FROM municipalities'), 290);
  t.equal(count(database, "SELECT count(*) n FROM municipalities WHERE county_code = '14'"), 49);
  t.equal(count(database, "SELECT count(*) n FROM municipalities WHERE county_code = '06'"), 13);
  t.equal(count(database, 'SELECT count(*) n FROM subregions'), 4);
  t.equal(count(database, 'SELECT count(*) n FROM municipalities WHERE subregion_code IS NOT NULL'), 49);
  t.equal(count(database, 'SELECT count(*) n FROM areas'), 4);
  t.equal(count(database, 'SELECT count(*) n FROM roles'), 2);
  t.equal(count(database, 'SELECT count(*) n FROM target_groups'), 5);
  t.equal(count(database, 'SELECT count(*) n FROM kinds'), 14);
  t.equal(count(database, 'SELECT sum(population_2016) n FROM municipalities'), 9_995_153);
  t.equal(count(database, 'SELECT count(*) n FROM resources'), 0, 'migrating does not seed');
  t.equal(database.sqlite.pragma('journal_mode', { simple: true }), 'wal');
  t.equal(database.sqlite.pragma('foreign_keys', { simple: true }), 1);

  migrateDatabase(database);
  t.equal(count(database, 'SELECT count(*) n FROM municipalities'), 290, 'migrating twice changes nothing');
});

t.test('the reference files are loaded again only when they changed', async (t) => {
  const database = openDatabase(`${t.testdir({})}/reference.db`);
  t.teardown(() => database.close());
  migrateDatabase(database);
  const fingerprint = database.sqlite.pragma('user_version', { simple: true }) as number;
  t.ok(fingerprint > 0, 'the loaded files are fingerprinted in user_version');

  database.sqlite.prepare("UPDATE counties SET name = 'Ändrat' WHERE code = '06'").run();
  migrateDatabase(database);
  const name = () =>
    (database.sqlite.prepare("SELECT name FROM counties WHERE code = '06'").get() as { name: string }).name;
  t.equal(name(), 'Ändrat', 'the same files: not parsed or written again');

  // What a changed file looks like to the next start: a different fingerprint.
  database.sqlite.pragma('user_version = 1');
  migrateDatabase(database);
  t.equal(name(), 'Jönköpings län', 'a different fingerprint: the files are loaded again');
  t.equal(database.sqlite.pragma('user_version', { simple: true }), fingerprint);
});

t.test(
  'a write to a location alone moves the dataset version (its triggers survive the table rebuilds)',
  async (t) => {
    const database = prepareDatabase(testConfig(t));
    t.teardown(() => database.close());
    const version = () => datasetVersion(database.sqlite);
    const before = version();
    database.sqlite
      .prepare(
        'UPDATE resource_locations SET position = position WHERE id = (SELECT min(id) FROM resource_locations)',
      )
      .run();
    t.equal(version(), before + 1, 'update');
    const { resource_id: resourceId, municipality_code: municipality } = database.sqlite
      .prepare('SELECT resource_id, municipality_code FROM resource_locations ORDER BY id LIMIT 1')
      .get() as { resource_id: string; municipality_code: string };
    const inserted = database.sqlite
      .prepare(
        "INSERT INTO resource_locations (resource_id, position, visibility, municipality_code) VALUES (?, 99, 'confidential', ?)",
      )
      .run(resourceId, municipality);
    t.equal(version(), before + 2, 'insert');
    database.sqlite.prepare('DELETE FROM resource_locations WHERE id = ?').run(inserted.lastInsertRowid);
    t.equal(version(), before + 3, 'delete');
    t.equal(
      count(database, "SELECT count(*) n FROM sqlite_master WHERE name = 'location_points'"),
      0,
      'the unread SQL spatial index is gone',
    );
    t.equal(
      count(database, "SELECT count(*) n FROM sqlite_master WHERE name LIKE 'resources_fts%'"),
      0,
      'the unread full-text index is gone, with its triggers',
    );
  },
);

t.test('a second start on the same database neither duplicates nor loses anything', async (t) => {
  const config = testConfig(t);
  const first = prepareDatabase(config);
  const snapshot = (db: typeof first) => ({
    resources: db.sqlite.prepare('SELECT id, version, updated_at FROM resources ORDER BY id').all(),
    cells: count(db, 'SELECT count(*) n FROM resource_cells'),
    served: count(db, 'SELECT count(*) n FROM resource_municipalities'),
    locations: count(db, 'SELECT count(*) n FROM resource_locations'),
    organizations: count(db, 'SELECT count(*) n FROM organizations'),
    inventories: count(db, 'SELECT count(*) n FROM inventories'),
  });
  const before = snapshot(first);
  first.close();
  t.ok(before.resources.length > 30, 'the curated dataset was loaded');
  t.equal(before.inventories, 2, 'Jönköping and Västra Götaland are inventoried');

  const second = prepareDatabase(config);
  t.teardown(() => second.close());
  t.same(snapshot(second), before);
});

t.test('the curated seed: every municipality, kind and cell exists; every entry has a source', async (t) => {
  const database = openDatabase(`${t.testdir({})}/seed.db`);
  t.teardown(() => database.close());
  migrateDatabase(database);
  const context = {
    places: loadPlaces(database.db),
    vocabulary: loadVocabulary(database.db),
    today: new Date().toISOString().slice(0, 10),
  };
  // parseCuratedDataset validates every code against the reference data and throws a DatasetError otherwise.
  const dataset = parseCuratedDataset(context);
  t.ok(dataset.resources.length > 30);
  t.same(dataset.inventories.map((i) => i.county).sort(), ['06', '14']);

  for (const file of ['06-jonkoping.json', '14-vastra-gotaland.json', 'national.json']) {
    const data = JSON.parse(readFileSync(new URL(`../../seed/resources/${file}`, import.meta.url), 'utf8'));
    t.ok(data.resources.length > 0, `${file} has entries`);
    for (const entry of data.resources) {
      t.ok(entry.source?.title, `${file}: ${entry.name} has a source`);
      t.match(entry.lastVerified, /^\d{4}-\d\d-\d\d$/, `${file}: ${entry.name} has lastVerified`);
    }
  }
});
