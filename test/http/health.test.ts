// /health and /ready ask the store whether the database answers (`app.ping`): 200 while it does, 503
// `database-unavailable` (problem+json) once it does not.

import t from 'tap';
import { sqliteDatabase } from '../../src/db/plugin.js';
import { buildTestApp, expectProblem, request } from '../helpers/app.js';

t.test('health and readiness follow the database', async (t) => {
  const app = await buildTestApp(t);
  t.same((await request(app, '/health')).body, { status: 'ok' });
  t.same((await request(app, '/ready')).body, { status: 'ready' });
  // The database goes away under the running app (closed here; a lost server on PostgreSQL).
  sqliteDatabase(app).sqlite.close();
  for (const url of ['/health', '/ready']) {
    const problem = await expectProblem(t, app, url, 503);
    t.equal(problem.code, 'database-unavailable', url);
  }
});
