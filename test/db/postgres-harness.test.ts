// The PostgreSQL test harness itself: each test gets its own empty database with PostGIS, gone afterwards.
import pg from 'pg';
import t from 'tap';
import { freshPostgresDatabase, skipWithoutPostgres, testDatabaseUrl } from '../helpers/postgres.js';

async function query<R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

t.test('a fresh database has PostGIS and no tables of its own', { skip: skipWithoutPostgres }, async (t) => {
  const url = await freshPostgresDatabase(t);
  const [postgis] = await query<{ version: string }>(url, 'SELECT postgis_lib_version() AS version');
  t.match(postgis?.version, /^3\./, 'PostGIS 3 is installed in the database');
  const tables = await query(
    url,
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'spatial_ref_sys'",
  );
  t.same(tables, [], 'no tables besides PostGIS’s own');
  const [srid] = await query<{ srid: number }>(
    url,
    'SELECT ST_SRID(ST_SetSRID(ST_MakePoint(14.16, 57.78), 4326)) AS srid',
  );
  t.equal(srid?.srid, 4326);
});

t.test(
  'two tests get two databases, and each is dropped when its test ends',
  { skip: skipWithoutPostgres },
  async (t) => {
    let first = '';
    await t.test('first', async (t) => {
      first = await freshPostgresDatabase(t);
      await query(first, 'CREATE TABLE marker (id integer)');
    });
    await t.test('second', async (t) => {
      const second = await freshPostgresDatabase(t);
      t.not(second, first);
      const tables = await query(
        second,
        "SELECT 1 FROM information_schema.tables WHERE table_name = 'marker'",
      );
      t.same(tables, [], 'the second database does not see the first one’s table');
    });
    const name = new URL(first).pathname.slice(1);
    const left = await query(testDatabaseUrl as string, 'SELECT 1 FROM pg_database WHERE datname = $1', [
      name,
    ]);
    t.same(left, [], 'the first database was dropped at its teardown');
  },
);
