// openStore (src/db/open.ts): DATABASE_URL selects PostgreSQL; either engine opens migrated, with the same
// reference data, seeded when empty, and every resource's current state in its history.
import { join } from 'node:path';
import pg from 'pg';
import t, { type Test } from 'tap';
import { loadConfig } from '../../src/config.js';
import { type OpenStore, openStore, withoutPassword } from '../../src/db/open.js';
import { freshPostgresDatabase, insertBareResource, skipWithoutPostgres } from '../helpers/postgres.js';

const config = (env: Record<string, string>) => loadConfig({ LOG_LEVEL: 'silent', ...env });

async function opened(t: Test, env: Record<string, string>): Promise<OpenStore> {
  const store = await openStore(config(env));
  t.teardown(() => store.close());
  return store;
}

t.test('DATABASE_URL: a postgres URL or nothing; a refusal never repeats the value', async (t) => {
  t.equal(config({}).databaseUrl, undefined, 'unset: SQLite');
  t.equal(config({ DATABASE_URL: '' }).databaseUrl, undefined, 'empty: SQLite');
  for (const url of ['postgres://u:p@127.0.0.1:5432/db', 'postgresql://127.0.0.1/db']) {
    t.equal(config({ DATABASE_URL: url }).databaseUrl, url);
  }
  for (const bad of ['mysql://u:secret-1@h/db', 'secret-2', 'http://u:secret-3@h/db']) {
    t.throws(() => config({ DATABASE_URL: bad }), /^DATABASE_URL must be a postgres:\/\/ or/);
    try {
      config({ DATABASE_URL: bad });
    } catch (error) {
      t.notMatch(String(error), /secret/, 'the value is not in the message');
    }
  }
  t.equal(
    withoutPassword('postgres://user:pass%40word@db.example:5432/x?password=p2'),
    'postgres://user@db.example:5432/x',
  );
});

t.test('SQLite without DATABASE_URL', async (t) => {
  const path = join(t.testdir({}), 'open.db');
  const store = await opened(t, { DATABASE_PATH: path });
  t.equal(store.engine, 'sqlite');
  t.equal(store.location, path);
  t.equal(store.seeded, true, 'the empty file was seeded');
  t.ok((await store.resources.countResources()) > 0);
});

t.test(
  'PostgreSQL: the same reference data, seeded once by replicas starting together',
  { skip: skipWithoutPostgres },
  async (t) => {
    const sqlite = await opened(t, { DATABASE_PATH: join(t.testdir({}), 'reference.db') });
    const url = await freshPostgresDatabase(t);
    // Two replicas on one empty database: migrations under the advisory lock, both may seed.
    const [a, b] = await Promise.all([opened(t, { DATABASE_URL: url }), opened(t, { DATABASE_URL: url })]);
    t.equal(a.engine, 'postgresql');
    t.notMatch(a.location, /:[^/@]*@/, 'no password in the location');
    t.ok(a.seeded || b.seeded, 'one of them seeded');

    t.same([...a.places.counties.values()], [...sqlite.places.counties.values()], 'counties, in order');
    t.same([...a.places.subregions.values()], [...sqlite.places.subregions.values()], 'subregions, in order');
    t.same(
      [...a.places.municipalities.values()],
      [...sqlite.places.municipalities.values()],
      'municipalities',
    );
    t.same(a.vocabulary.terms, sqlite.vocabulary.terms, 'vocabulary, in order');
    const stockholm = { lat: 59.3293, lon: 18.0686 };
    t.equal(a.places.municipalityAt(stockholm)?.code, '0180', 'boundaries: Stockholm city is in 0180');

    const curated = await sqlite.resources.countResources();
    t.equal(await a.resources.countResources(), curated, 'every curated entry, once');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    t.teardown(() => client.end());
    const history = await client.query<{ action: string; n: string }>(
      'SELECT action, count(*) n FROM resource_history GROUP BY action',
    );
    t.same(
      history.rows,
      [{ action: 'create', n: String(curated) }],
      'one history entry per entry: the second seed changed nothing',
    );
  },
);

t.test(
  'PostgreSQL: a resource written by plain SQL gets its history row at the next start',
  { skip: skipWithoutPostgres },
  async (t) => {
    const url = await freshPostgresDatabase(t);
    const first = await openStore(config({ DATABASE_URL: url, SEED_IF_EMPTY: 'false' }));
    t.equal(first.seeded, false);
    t.equal(await first.resources.countResources(), 0);
    await first.close();

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    t.teardown(() => client.end());
    await insertBareResource(client, 'by-hand');
    const rows = async () =>
      (
        await client.query<{ action: string; version: number }>(
          "SELECT action, version FROM resource_history WHERE resource_id = 'by-hand' ORDER BY id",
        )
      ).rows;
    t.same(await rows(), [], 'no history yet');

    await (await openStore(config({ DATABASE_URL: url, SEED_IF_EMPTY: 'false' }))).close();
    t.same(await rows(), [{ action: 'create', version: 1 }], 'recorded at start');
    await (await openStore(config({ DATABASE_URL: url, SEED_IF_EMPTY: 'false' }))).close();
    t.same(await rows(), [{ action: 'create', version: 1 }], 'and only once');
  },
);
