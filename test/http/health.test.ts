// /health and /ready ask the store whether the database answers (`app.ping`): 200 while it does, 503
// `database-unavailable` (problem+json) once it does not. On SQLite the file is closed under the running app;
// on PostgreSQL the database stops taking connections and its sessions are ended (a lost server, a failover),
// and the app answers 200 again, on its own, once the database takes connections again.

import pg from 'pg';
import t from 'tap';
import { sqliteDatabase } from '../../src/db/plugin.js';
import { buildTestApp, expectProblem, request, testEngine } from '../helpers/app.js';
import { freshPostgresDatabase, testDatabaseUrl } from '../helpers/postgres.js';

/** Runs `sql` as the test server's administrator (connected to its default database). */
async function asAdmin(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

t.test('health and readiness follow the database', async (t) => {
  const url = testEngine === 'postgresql' ? await freshPostgresDatabase(t) : undefined;
  const app = await buildTestApp(t, url === undefined ? {} : { DATABASE_URL: url });
  t.same((await request(app, '/health')).body, { status: 'ok' });
  t.same((await request(app, '/ready')).body, { status: 'ready' });
  const name = url === undefined ? undefined : new URL(url).pathname.slice(1);
  if (name === undefined) sqliteDatabase(app).sqlite.close();
  else {
    await asAdmin(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
    await asAdmin(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`,
    );
  }
  for (const url of ['/health', '/ready']) {
    const problem = await expectProblem(t, app, url, 503);
    t.equal(problem.code, 'database-unavailable', url);
  }
  if (name === undefined) return;
  // The pool dropped the ended connections; the next query opens a new one.
  await asAdmin(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`);
  t.same((await request(app, '/health')).body, { status: 'ok' }, 'PostgreSQL: healthy again');
  t.same((await request(app, '/ready')).body, { status: 'ready' }, 'PostgreSQL: ready again');
});
