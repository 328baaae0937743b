// Whether the database answers (/health, /ready), through the store's `ping`, on both engines (PostgreSQL
// when TEST_DATABASE_URL is set, skipped with a message otherwise): yes while it does, no (never a throw)
// when it cannot, and yes again once it can, without a restart.
import { createServer, type Socket } from 'node:net';
import pg from 'pg';
import t from 'tap';
import { migrateDatabase, openDatabase } from '../../src/db/client.js';
import { openPostgres } from '../../src/db/postgres/client.js';
import { postgresPing } from '../../src/db/postgres/ping.js';
import { sqlitePing } from '../../src/db/sqlite/ping.js';
import { freshPostgresDatabase, skipWithoutPostgres } from '../helpers/postgres.js';

t.test('ping on SQLite', async (t) => {
  const database = openDatabase(`${t.testdir({})}/ping.db`);
  migrateDatabase(database);
  const ping = sqlitePing(database);
  t.equal(await ping(), true);
  database.close();
  t.equal(await ping(), false, 'a closed database does not answer');
});

t.test('ping on PostgreSQL', { skip: skipWithoutPostgres }, async (t) => {
  const url = await freshPostgresDatabase(t);
  const database = openPostgres(url, { max: 2 });
  t.teardown(() => database.close());
  const ping = postgresPing(database);
  t.equal(await ping(), true);

  // The server ends every connection of the pool (as a restart does): the pool opens new ones.
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  t.teardown(() => admin.end());
  await admin.query(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  let answered = false;
  for (let attempt = 0; attempt < 5 && !answered; attempt++) answered = await ping();
  t.ok(answered, 'answers again after its connections were ended');

  // A server that never answers (a listening socket that accepts and says nothing): no, after the timeout.
  const sockets = new Set<Socket>();
  const silent = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => silent.close(() => resolve()));
  });
  const address = silent.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const away = openPostgres(`postgres://nobody:secret@127.0.0.1:${address.port}/none`, {
    connectionTimeoutMs: 200,
  });
  t.teardown(() => away.close());
  t.equal(await postgresPing(away)(), false, 'a server that does not answer: no, not a hang or a throw');
});
