// Nothing acknowledged is lost: kill -9 under concurrent writes, then restart; and online backup/restore.
import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { createToken } from '../../src/auth/tokens.js';
import { migrateDatabase, openDatabase } from '../../src/db/client.js';
import { pgDumpInvocation } from '../../src/db/postgres/backup.js';
import { SqliteTokenStore } from '../../src/db/sqlite/token-store.js';
import { resourceInput } from '../helpers/fixtures.js';
import { freshPostgresDatabase, skipWithoutPostgres } from '../helpers/postgres.js';
import { runScript, startServer } from '../helpers/process.js';

async function adminToken(path: string): Promise<string> {
  const database = openDatabase(path);
  try {
    migrateDatabase(database);
    return await createToken(new SqliteTokenStore(database.db), 'admin', { kind: 'admin' });
  } finally {
    database.close();
  }
}

t.test('every acknowledged write survives kill -9', async (t) => {
  const path = join(t.testdir({}), 'crash.db');
  const token = await adminToken(path);
  const server = await startServer({ DATABASE_PATH: path, LOG_LEVEL: 'info' });
  t.teardown(() => server.child.kill('SIGKILL'));

  const acknowledged: string[] = [];
  let sent = 0;
  let killed = false;
  const deadline = Date.now() + 15_000;
  async function writer() {
    while (!killed && sent < 400 && Date.now() < deadline) {
      sent += 1;
      const entry = resourceInput({ name: `Krocktest ${sent}` });
      try {
        const response = await fetch(`${server.url}/v1/resources`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(entry),
        });
        if (response.status === 201) acknowledged.push(entry.id as string);
      } catch {
        // The connection died with the server: this write was never acknowledged.
      }
    }
  }
  const writers = Array.from({ length: 8 }, writer);
  while (acknowledged.length < 40 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  killed = true;
  server.child.kill('SIGKILL');
  await Promise.all(writers);
  t.ok(acknowledged.length >= 40, `${acknowledged.length} writes were acknowledged before the kill`);

  const restarted = await startServer({ DATABASE_PATH: path, LOG_LEVEL: 'info' });
  t.teardown(() => restarted.child.kill('SIGKILL'));
  const missing: string[] = [];
  for (const id of acknowledged) {
    if ((await fetch(`${restarted.url}/v1/resources/${id}`)).status !== 200) missing.push(id);
  }
  t.same(missing, [], 'every acknowledged write is there');
  restarted.child.kill('SIGTERM');
  await new Promise((resolve) => restarted.child.once('exit', resolve));

  const database = openDatabase(path);
  t.teardown(() => database.close());
  t.equal(database.sqlite.pragma('integrity_check', { simple: true }), 'ok');
  const history = database.sqlite
    .prepare("SELECT count(*) n FROM resource_history WHERE action = 'create'")
    .get() as { n: number };
  t.ok(history.n >= acknowledged.length, 'each acknowledged create has its history entry');
});

t.test('db:backup copies a live database; the copy restores', async (t) => {
  const dir = t.testdir({});
  const path = join(dir, 'live.db');
  const server = await startServer({ DATABASE_PATH: path });
  t.teardown(() => server.child.kill('SIGKILL'));
  const live = (await (
    await fetch(`${server.url}/v1/resources?status=active&status=planned&limit=1`)
  ).json()) as {
    totalItems: number;
  };

  const backup = join(dir, 'backup.db');
  const result = await runScript('src/cli/backup.ts', [backup], { DATABASE_PATH: path });
  t.equal(result.code, 0, result.stderr);
  t.match(result.stderr, /backed up to/);
  const refused = await runScript('src/cli/backup.ts', [backup], { DATABASE_PATH: path });
  t.equal(refused.code, 2, 'never overwrites a file');

  const restoredPath = join(dir, 'restored.db');
  copyFileSync(backup, restoredPath);
  const restored = await startServer({ DATABASE_PATH: restoredPath });
  t.teardown(() => restored.child.kill('SIGKILL'));
  const copy = (await (
    await fetch(`${restored.url}/v1/resources?status=active&status=planned&limit=1`)
  ).json()) as {
    totalItems: number;
  };
  t.equal(copy.totalItems, live.totalItems);
  t.ok(copy.totalItems > 30);
});

const liveCount = async (url: string) =>
  (
    (await (await fetch(`${url}/v1/resources?status=active&status=planned&limit=1`)).json()) as {
      totalItems: number;
    }
  ).totalItems;

t.test(
  'db:backup on PostgreSQL: pg_dump of a live database; pg_restore restores it',
  { skip: skipWithoutPostgres },
  async (t) => {
    const dir = t.testdir({});
    const url = await freshPostgresDatabase(t);
    const server = await startServer({ DATABASE_URL: url });
    t.teardown(() => server.child.kill('SIGKILL'));
    const live = await liveCount(server.url);

    const password = decodeURIComponent(new URL(url).password);
    const invocation = pgDumpInvocation(url, join(dir, 'x.dump'));
    t.notOk(invocation.args.join(' ').includes(password), 'the password is not on the command line');
    t.equal(invocation.env.PGPASSWORD, password, 'it is in the environment');

    const backup = join(dir, 'backup.dump');
    const result = await runScript('src/cli/backup.ts', [backup], { DATABASE_URL: url });
    t.equal(result.code, 0, result.stderr);
    t.match(result.stderr, /backed up to/);
    const refused = await runScript('src/cli/backup.ts', [backup], { DATABASE_URL: url });
    t.equal(refused.code, 2, 'never overwrites a file');

    // Restored into another database (with PostGIS, as a new server's would be), the service starts on it.
    const target = await freshPostgresDatabase(t);
    const restore = pgDumpInvocation(target, backup);
    const restored = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(
        'pg_restore',
        ['--clean', '--if-exists', '--no-owner', restore.args[2] as string, backup],
        {
          env: restore.env,
        },
      );
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    t.equal(restored.code, 0, restored.stderr);
    const copy = await startServer({ DATABASE_URL: target });
    t.teardown(() => copy.child.kill('SIGKILL'));
    t.equal(await liveCount(copy.url), live);
    t.ok(live > 30);
  },
);
