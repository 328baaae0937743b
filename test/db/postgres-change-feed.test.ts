// How a replica hears of writes made elsewhere: the PostgreSQL change feed (NOTIFY at commit, the ids each
// version wrote, and a listener that reconnects on its own). Each wait is for an event, never for a time.
import t, { type Test } from 'tap';
import { PostgresChangeFeed } from '../../src/db/postgres/change-feed.js';
import { migratePostgres, openPostgres } from '../../src/db/postgres/client.js';
import { freshPostgresDatabase, insertBareResource, skipWithoutPostgres } from '../helpers/postgres.js';

async function setUp(t: Test) {
  const url = await freshPostgresDatabase(t);
  const database = openPostgres(url, { max: 3 });
  t.teardown(() => database.close());
  await migratePostgres(database);
  const feed = new PostgresChangeFeed(database, url, { retryMs: 10, maxRetryMs: 200 });
  t.teardown(() => feed.close());
  // Every version the feed reports, and a way to wait until it has reported one at least as new.
  const heard: number[] = [];
  const waiting = new Set<{ version: number; resolve: () => void }>();
  feed.subscribe((version) => {
    heard.push(version);
    for (const w of waiting) {
      if (version < w.version) continue;
      waiting.delete(w);
      w.resolve();
    }
  });
  const hears = (version: number) =>
    heard.some((v) => v >= version)
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiting.add({ version, resolve }));
  const writer = await database.pool.connect();
  t.teardown(() => writer.release());
  return { database, feed, heard, hears, writer };
}

t.test(
  'a committed write is heard with its version, and its ids are listed',
  { skip: skipWithoutPostgres },
  async (t) => {
    const { feed, heard, hears, writer } = await setUp(t);
    await hears(0);
    t.same(heard, [0], 'on connecting, the feed reports the current version');

    await writer.query('BEGIN');
    await insertBareResource(writer, 'a');
    await writer.query(
      "INSERT INTO resource_cells (resource_id, area, role, \"group\") VALUES ('a', 'close-relationship', 'subjected', 'women')",
    );
    await writer.query('COMMIT');
    await hears(1);
    t.same(heard, [0, 1], 'one transaction, one notice');
    t.same(await feed.changesSince(0), { version: 1, ids: ['a'], complete: true });
    t.same(await feed.changesSince(1), { version: 1, ids: [], complete: true }, 'nothing newer');

    await insertBareResource(writer, 'b');
    await hears(2);
    t.same(await feed.changesSince(0), { version: 2, ids: ['a', 'b'], complete: true });
    t.same(await feed.changesSince(1), { version: 2, ids: ['b'], complete: true });
  },
);

t.test(
  'a reader further behind than the record is told to rebuild',
  { skip: skipWithoutPostgres },
  async (t) => {
    const { database, feed, hears, writer } = await setUp(t);
    await insertBareResource(writer, 'a');
    await insertBareResource(writer, 'b');
    await hears(2);
    await database.pool.query('DELETE FROM dataset_changes WHERE version = 1');
    t.equal((await feed.changesSince(0)).complete, false, 'version 1 is pruned: rebuild in full');
    t.same(await feed.changesSince(1), { version: 2, ids: ['b'], complete: true });
  },
);

t.test(
  'the listener reconnects after losing its connection and reports what it missed',
  { skip: skipWithoutPostgres },
  async (t) => {
    const { database, hears, writer } = await setUp(t);
    await hears(0);
    const listenerPid = async () =>
      (
        await database.pool.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE application_name = 'stodkartan-listener' AND datname = current_database()",
        )
      ).rows.map((row) => row.pid);
    const [before] = await listenerPid();
    t.type(before, 'number', 'the listener has its own connection');

    // The server drops the listener (as in a restart or a failover), and a write lands meanwhile.
    await database.pool.query('SELECT pg_terminate_backend($1)', [before]);
    await insertBareResource(writer, 'while-away');
    await hears(1);
    t.pass('the write made while the listener was away is reported (by its notice or by the reconnect)');
    const after = await listenerPid();
    t.equal(after.length, 1, 'one listener connection again');
    t.not(after[0], before, 'on a new connection');

    await insertBareResource(writer, 'after');
    await hears(2);
    t.pass('and it hears new writes');
  },
);

t.test('closing the feed ends its connection', { skip: skipWithoutPostgres }, async (t) => {
  const { database, feed, hears } = await setUp(t);
  await hears(0);
  await feed.close();
  const left = await database.pool.query(
    "SELECT 1 FROM pg_stat_activity WHERE application_name = 'stodkartan-listener' AND datname = current_database()",
  );
  t.equal(left.rowCount, 0);
});
