// The dataset version moves on with every insert, update and delete of resources and of their cells,
// service areas and locations, whatever path the write takes: here, plain SQL past every repository.
// Engines: SQLite only, because it tests SQLite's dataset-version triggers with plain SQL on the file (PostgreSQL's
// triggers: test/db/postgres-change-feed.test.ts).

import t from 'tap';
import { datasetVersion } from '../../src/db/dataset-version.js';
import { sqliteDatabase } from '../../src/db/plugin.js';
import { buildTestApp } from '../helpers/app.js';

const app = await buildTestApp(t);
const { sqlite } = sqliteDatabase(app);
const id = '00000000-0000-4000-8000-00000000d5e7';

/** Runs a write and answers whether the version rose past what it was before. */
function raises(sql: string, ...parameters: unknown[]): boolean {
  const before = datasetVersion(sqlite);
  const changes = sqlite.prepare(sql).run(...parameters).changes;
  if (changes === 0) throw new Error(`changed no row: ${sql}`);
  return datasetVersion(sqlite) > before;
}

t.test('the seed has raised it, and reading changes nothing', async (t) => {
  const version = datasetVersion(sqlite);
  t.ok(version > 0, 'the curated seed was written after the migration');
  sqlite.prepare('SELECT count(*) FROM resources').get();
  t.equal(datasetVersion(sqlite), version);
  t.throws(
    () => sqlite.prepare('INSERT INTO dataset_version (id, version) VALUES (2, 0)').run(),
    /CHECK constraint failed/,
    'one row only',
  );
});

t.test('resources: insert, update, delete', async (t) => {
  const organization = sqlite.prepare('SELECT id FROM organizations LIMIT 1').pluck().get();
  t.ok(
    raises(
      `INSERT INTO resources (id, name, kind, organization_id, description_sv, status, for_individuals,
         for_professionals, national, open_24h, source_title, last_verified, content_hash, created_at, updated_at)
       VALUES (?, 'Versionsjouren', 'kvinnojour', ?, 'Test', 'active', 1, 0, 0, 0, 'Test', '2024-01-01', 'x',
         '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')`,
      id,
      organization,
    ),
    'insert',
  );
  t.ok(raises(`UPDATE resources SET status = 'inactive' WHERE id = ?`, id), 'update');

  for (const [table, insert, update] of [
    [
      'resource_cells',
      `INSERT INTO resource_cells (resource_id, area, role, "group") VALUES (?, 'close-relationship', 'subjected', 'women')`,
      `UPDATE resource_cells SET "group" = 'men' WHERE resource_id = ?`,
    ],
    [
      'resource_municipalities',
      `INSERT INTO resource_municipalities (resource_id, municipality_code) VALUES (?, '0680')`,
      `UPDATE resource_municipalities SET municipality_code = '0604' WHERE resource_id = ?`,
    ],
    [
      'resource_locations',
      `INSERT INTO resource_locations (resource_id, position, visibility, municipality_code) VALUES (?, 0, 'confidential', '0680')`,
      `UPDATE resource_locations SET municipality_code = '0604' WHERE resource_id = ?`,
    ],
  ] as const) {
    t.ok(raises(insert, id), `${table}: insert`);
    t.ok(raises(update, id), `${table}: update`);
    t.ok(raises(`DELETE FROM ${table} WHERE resource_id = ?`, id), `${table}: delete`);
  }

  t.ok(raises('DELETE FROM resources WHERE id = ?', id), 'resources: delete');
});

t.test('a delete that cascades raises it; a rolled-back write does not', async (t) => {
  const named = sqlite.prepare('SELECT id FROM resources WHERE name = ?').pluck();
  const shelter = named.get('Kvinno- och tjejjouren Jönköping') as string;
  const before = datasetVersion(sqlite);
  try {
    sqlite.transaction(() => {
      sqlite.prepare('DELETE FROM resource_history WHERE resource_id = ?').run(shelter);
      sqlite.prepare('DELETE FROM resources WHERE id = ?').run(shelter);
      t.ok(datasetVersion(sqlite) > before + 1, 'the resource and its cells, area and locations');
      throw new Error('roll back');
    })();
  } catch (error) {
    t.match((error as Error).message, 'roll back');
  }
  t.equal(datasetVersion(sqlite), before, 'rolled back with the write');
  t.ok(named.get('Kvinno- och tjejjouren Jönköping'), 'the resource is still there');
});
