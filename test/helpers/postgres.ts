// A fresh PostgreSQL database per test, created from a template that holds PostGIS, and dropped after it.
// The server comes from TEST_DATABASE_URL (scripts/postgres-test-cluster.sh starts a throwaway one); without
// it, the PostgreSQL tests are skipped with a message saying so, and the suite still passes on SQLite alone.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Test } from 'tap';
import { migratePostgres, type OpenPostgres, openPostgres } from '../../src/db/postgres/client.js';

export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;

/** For `t.test(name, { skip: skipWithoutPostgres }, …)`: false with a server, the reason to skip without. */
export const skipWithoutPostgres: string | false = testDatabaseUrl
  ? false
  : 'PostgreSQL tests skipped: TEST_DATABASE_URL not set';

/** The template every test database is copied from: an empty database with the PostGIS extension. */
export const templateName = 'stodkartan_template';

// Any number, the same in every test process: serialises creating the template and copying it, since
// CREATE DATABASE refuses a template another session is connected to.
const templateLock = 1_200_012;

const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Creates the PostGIS template when the server has none yet (scripts/postgres-test-cluster.sh makes it). */
async function ensureTemplate(admin: pg.Client, url: string): Promise<void> {
  const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [templateName]);
  if (found.rowCount) return;
  await admin.query(`CREATE DATABASE ${templateName}`);
  await withClient(withDatabase(url, templateName), (client) => client.query('CREATE EXTENSION postgis'));
  await admin.query(`ALTER DATABASE ${templateName} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
}

/**
 * Creates an empty database with PostGIS for this test and drops it when the test ends (also when it fails);
 * returns its URL. Only call it in a test skipped by `skipWithoutPostgres`.
 */
export async function freshPostgresDatabase(t: Test): Promise<string> {
  const url = testDatabaseUrl;
  if (!url)
    throw new Error('freshPostgresDatabase needs TEST_DATABASE_URL: skip the test with skipWithoutPostgres');
  const name = `stodkartan_test_${randomBytes(6).toString('hex')}`;
  await withClient(url, async (admin) => {
    await admin.query('SELECT pg_advisory_lock($1)', [templateLock]);
    try {
      await ensureTemplate(admin, url);
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateName}`);
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [templateLock]);
    }
  });
  t.teardown(() => withClient(url, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));
  return withDatabase(url, name);
}

/** A fresh database (`freshPostgresDatabase`), opened with a pool of `max` connections and migrated. */
export async function migratedPostgresDatabase(
  t: Test,
  max: number,
): Promise<{ url: string; database: OpenPostgres }> {
  const url = await freshPostgresDatabase(t);
  const database = openPostgres(url, { max });
  t.teardown(() => database.close());
  await migratePostgres(database);
  return { url, database };
}

/** Inserts a resource row with the least the constraints need (a kvinnojour of a test organisation). */
export async function insertBareResource(client: pg.ClientBase, id: string): Promise<void> {
  const organization = await client.query<{ id: number }>(
    `INSERT INTO organizations (name, type) VALUES ('Test', 'ideell')
     ON CONFLICT (name, type) DO UPDATE SET name = excluded.name RETURNING id`,
  );
  await client.query(
    `INSERT INTO resources (id, name, kind, organization_id, description_sv, status, for_individuals,
       for_professionals, national, open_24h, source_title, last_verified, content_hash, created_at, updated_at)
     VALUES ($1, 'Test', 'kvinnojour', $2, 'Test', 'active', true, false, false, false, 'Test', '2026-11-30', 'x',
       now(), now())`,
    [id, organization.rows[0]?.id],
  );
}
