// The command-line tools and the server, run as child processes the way the npm scripts run them.
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import t, { type Test } from 'tap';
import { openDatabase } from '../../src/db/client.js';
import { publicShelter, resourceInput } from '../helpers/fixtures.js';
import { coordinateLeaks, loggedRequests, parseLogLines } from '../helpers/logs.js';
import { freshPostgresDatabase, skipWithoutPostgres } from '../helpers/postgres.js';
import { runScript, startServer } from '../helpers/process.js';

/**
 * The tools on both engines: the environment that selects a fresh database, and what is in it. SQLite always;
 * PostgreSQL (DATABASE_URL) when TEST_DATABASE_URL is set, skipped with a message otherwise.
 */
const engines: {
  name: string;
  skip: string | false;
  open: (t: Test) => Promise<{ env: Record<string, string>; query: (sql: string) => Promise<unknown[]> }>;
}[] = [
  {
    name: 'SQLite',
    skip: false,
    open: async (t) => {
      const path = join(t.testdir({}), 'cli.db');
      return {
        // DATABASE_URL empty: SQLite, whatever the environment of the test run says.
        env: { DATABASE_PATH: path, DATABASE_URL: '' },
        query: async (sql) => {
          const database = openDatabase(path);
          try {
            return database.sqlite.prepare(sql).raw().all();
          } finally {
            database.close();
          }
        },
      };
    },
  },
  {
    name: 'PostgreSQL',
    skip: skipWithoutPostgres,
    open: async (t) => {
      const url = await freshPostgresDatabase(t);
      return {
        env: { DATABASE_URL: url },
        query: async (sql) => {
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          try {
            return (await client.query({ text: sql, rowMode: 'array' })).rows;
          } finally {
            await client.end();
          }
        },
      };
    },
  },
];

for (const engine of engines) {
  t.test(`db:migrate, db:import and db:seed on ${engine.name}`, { skip: engine.skip }, async (t) => {
    const dir = t.testdir({});
    const { env, query } = await engine.open(t);

    const migrated = await runScript('src/cli/migrate.ts', [], env);
    t.equal(migrated.code, 0, migrated.stderr);
    t.match(migrated.stderr, /21 counties, 290 municipalities/);
    t.same(await query('SELECT id FROM resources'), [], 'a tool does not seed');

    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ resources: [resourceInput(), resourceInput({ kind: 'spaceship' })] }),
    );
    const refused = await runScript('src/cli/import.ts', [bad], env);
    t.equal(refused.code, 1);
    t.match(refused.stderr, /resources\[1\]\/kind: unknown kind 'spaceship'/);

    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "resources": [');
    const unparsable = await runScript('src/cli/import.ts', [broken], env);
    t.equal(unparsable.code, 1);
    t.match(unparsable.stderr, /not valid JSON/);

    const good = join(dir, 'good.json');
    const entry = resourceInput();
    writeFileSync(
      good,
      JSON.stringify({
        inventories: [
          {
            county: '13',
            completedOn: '2025-06-30',
            completeness: 'selection',
            source: { title: 'Halland' },
          },
        ],
        resources: [entry],
      }),
    );
    const imported = await runScript('src/cli/import.ts', [good], env);
    t.equal(imported.code, 0, imported.stderr);
    t.match(imported.stderr, /1 created, 0 updated, 0 unchanged, 1 inventories/);

    const seeded = await runScript('src/cli/seed.ts', [], env);
    t.equal(seeded.code, 0, seeded.stderr);
    t.match(seeded.stderr, /seeded: \d+ created, 0 updated, 0 unchanged, 2 inventories/);
    const reseeded = await runScript('src/cli/seed.ts', [], env);
    t.match(reseeded.stderr, /seeded: 0 created, 0 updated, \d+ unchanged/);

    const ids = (await query('SELECT id FROM resources')).map((row) => (row as string[])[0]);
    t.ok(ids.includes(entry.id), 'the imported entry is there');
    t.same(
      await query("SELECT 1 FROM resources WHERE kind = 'spaceship'"),
      [],
      'nothing of the refused file',
    );
    t.same(
      await query(`SELECT action, token_name FROM resource_history WHERE resource_id = '${entry.id}'`),
      [['create', null]],
      'the import recorded its history entry',
    );

    const usage = await runScript('src/cli/import.ts', [], env);
    t.equal(usage.code, 2);
  });
}

t.test(
  'db:import that withdraws an address waits for a reader elsewhere to let the log be emptied',
  async (t) => {
    const dir = t.testdir({});
    const env = { DATABASE_PATH: join(dir, 'cli.db') };
    const street = 'Skyddsvägen 4711';
    const entry = publicShelter({ street, postalCode: '503 99', lat: 57.7212345, lon: 12.9412345 });
    const file = (name: string, resources: unknown[]) => {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify({ resources }));
      return path;
    };
    const published = await runScript('src/cli/import.ts', [file('public.json', [entry])], env);
    t.equal(published.code, 0, published.stderr);

    // Another process reading (as the server does): its read transaction keeps the log from being emptied.
    const reader = openDatabase(env.DATABASE_PATH);
    t.teardown(() => reader.close());
    reader.sqlite.prepare('BEGIN').run();
    reader.sqlite.prepare('SELECT count(*) FROM resources').get();
    // It lets go only once the withdrawal has committed (seen from a third connection), and a moment later.
    const watcher = openDatabase(env.DATABASE_PATH);
    t.teardown(() => watcher.close());
    const version = watcher.sqlite.prepare('SELECT version FROM resources WHERE id = ?').pluck();
    const released = setInterval(() => {
      if (version.get(entry.id) === 1) return;
      clearInterval(released);
      setTimeout(() => reader.sqlite.prepare('COMMIT').run(), 300);
    }, 50);
    t.teardown(() => clearInterval(released));

    const confidential = {
      ...entry,
      locations: entry.locations.map((l) => ({ visibility: 'confidential', municipality: l.municipality })),
    };
    const withdrawn = await runScript('src/cli/import.ts', [file('withdrawn.json', [confidential])], env);
    t.equal(withdrawn.code, 0, withdrawn.stderr);
    t.match(withdrawn.stderr, /0 created, 1 updated/);
    t.notMatch(withdrawn.stderr, /still holds/, 'no warning: the log was emptied');
    // The reader is still connected, so the import's own close could not have emptied the log.
    const log = `${env.DATABASE_PATH}-wal`;
    t.notOk(existsSync(log) && readFileSync(log).includes(street), 'the street is not in the log');
    t.notOk(readFileSync(env.DATABASE_PATH).includes(street), 'nor in the database file');
  },
);

t.test('the server starts seeded, answers, and stops on SIGTERM', async (t) => {
  const dir = t.testdir({});
  const server = await startServer({ DATABASE_PATH: join(dir, 'server.db') });
  t.teardown(() => server.child.kill('SIGKILL'));
  const health = await fetch(`${server.url}/health`);
  t.equal(health.status, 200);
  const list = (await (await fetch(`${server.url}/v1/resources?county=14`)).json()) as { totalItems: number };
  t.ok(list.totalItems > 10, 'seeded on first start');
  // A person's position never reaches the log: the query is rounded, the body is never logged.
  await fetch(`${server.url}/v1/resources/nearby?lat=57.72345&lon=12.94567&radiusKm=20`);
  await fetch(`${server.url}/v1/places/lookup?lon=11.97461&lat=57.70887`);
  await fetch(`${server.url}/v1/resources/nearby?lat=57.72345&lon=999.12345`);
  await fetch(`${server.url}/v1/resources/nearby?LAT=57.72345&Lon=12.94567`);
  await fetch(`${server.url}/v1/resources/nearby?lat=57,72345&lon=12.94567`);
  await fetch(`${server.url}/v1/resources/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ lat: 58.39123, lon: 13.84567 }),
  });
  const exited = once(server.child, 'exit');
  server.child.kill('SIGTERM');
  const [code] = await exited;
  t.equal(code, 0);
  const lines = parseLogLines(server.logs());
  const requests = loggedRequests(lines);
  t.ok(
    requests.some(
      (r) =>
        r.url === '/v1/resources/nearby' &&
        r.status === 200 &&
        r.position?.lat === 57.7 &&
        r.position.lon === 12.9,
    ),
    'the request is logged by its route, the position rounded',
  );
  t.same(
    requests.filter((r) => r.url === '/v1/resources/nearby' && r.status === 400),
    Array(3).fill({ method: 'GET', url: '/v1/resources/nearby', status: 400 }),
    'refused positions (out of range, names in another case, a decimal comma) are not logged',
  );
  t.ok(
    requests.some((r) => r.url === '/v1/resources/search' && !r.position),
    'the search is logged, its body not',
  );
  t.ok(
    requests.every((r) => !r.url.includes('?')),
    'no query string is logged',
  );
  // Only the coordinates as coordinates: pino's timestamps, pid, port and response times hold any digits.
  t.same(
    coordinateLeaks(lines, [
      '57.72345',
      '57,72345',
      '12.94567',
      '11.97461',
      '57.70887',
      '999.12345',
      '58.39123',
      '13.84567',
    ]),
    [],
    'the log never holds a position more precisely than rounded',
  );
});

for (const engine of engines) {
  t.test(
    `token on ${engine.name}: create prints the token alone on stdout; list; revoke`,
    { skip: engine.skip },
    async (t) => {
      const { env, query } = await engine.open(t);
      const created = await runScript(
        'src/cli/token.ts',
        ['create', '--name', 'anna', '--scope', 'county:06'],
        env,
      );
      t.equal(created.code, 0, created.stderr);
      t.match(created.stdout, /^stk_[A-Za-z0-9_-]{43}\n$/, 'the token and nothing else');
      const admin = await runScript('src/cli/token.ts', ['create', '--name', 'eva', '--scope', 'admin'], env);
      t.equal(admin.code, 0);
      const listed = await runScript('src/cli/token.ts', ['list'], env);
      t.match(listed.stdout, /anna\tcounty:06\tcreated /);
      t.match(listed.stdout, /eva\tadmin\tcreated /);
      t.notOk(listed.stdout.includes(created.stdout.trim()), 'list never shows a token');
      const revoked = await runScript('src/cli/token.ts', ['revoke', '--name', 'anna'], env);
      t.equal(revoked.code, 0);
      t.match(
        (await runScript('src/cli/token.ts', ['list'], env)).stdout,
        /anna\tcounty:06\tcreated \S+\trevoked /,
      );

      for (const args of [
        ['create', '--name', 'anna', '--scope', 'admin'],
        ['create', '--name', 'x', '--scope', 'county:99'],
        ['create', '--name', 'x', '--scope', 'kommun:0680'],
        ['create', '--name', 'bad name!', '--scope', 'admin'],
        ['create', '--name', 'x'],
        ['revoke', '--name', 'nobody'],
        ['frobnicate'],
        ['create', '--colour', 'red'],
      ]) {
        const refused = await runScript('src/cli/token.ts', args, env);
        t.equal(refused.code, 2, `${args.join(' ')} is refused`);
        t.equal(refused.stdout, '', 'nothing on stdout');
      }
      t.same(
        await query('SELECT name FROM api_tokens ORDER BY name'),
        [['anna'], ['eva']],
        'the tokens are in the database the environment names',
      );
    },
  );
}
