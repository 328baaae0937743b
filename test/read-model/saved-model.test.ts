// The saved read model (src/read-model/snapshot.ts, builder-process.ts): from READ_MODEL_BUILD_PROCESS_FROM
// resources on, the model is built in a process of its own and saved beside the database, encrypted; a start
// reads it only when it was saved from exactly the data there, and a withdrawn address makes every model
// saved before unreadable. Here the threshold is 1, so the curated dataset takes that path.
// Engines: SQLite only, because only SQLite's read model is saved (beside the file, under the file's key) and
// built in a process of its own.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import v8 from 'node:v8';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { createToken } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';
import { sqliteReadModel } from '../../src/read-model/plugin.js';
import { modelFingerprint, readKey, readSnapshot } from '../../src/read-model/snapshot.js';
import { savedModelPath } from '../../src/read-model/store.js';
import { type Body, postResource, request, withdrawAddress } from '../helpers/app.js';
import { publicShelter, resourceInput } from '../helpers/fixtures.js';
import { runScript } from '../helpers/process.js';

const dir = t.testdir({});
const databasePath = join(dir, 'stodkartan.db');
const saved = savedModelPath(databasePath);

async function start(separately: boolean): Promise<FastifyInstance> {
  return buildApp(
    loadConfig({
      DATABASE_PATH: databasePath,
      LOG_LEVEL: 'silent',
      MAX_EVENT_LOOP_DELAY_MS: '0',
      RATE_LIMIT_READS: '1000000',
      READ_MODEL_BUILD_PROCESS_FROM: separately ? '1' : '1000000',
    }),
  );
}

/** Questions every part of the model answers: lists, text, nearby, an instant, coverage. */
const questions = [
  '/v1/resources?limit=100',
  '/v1/resources?limit=20&page=2',
  '/v1/resources?q=jour&limit=100',
  '/v1/resources?q=kvinnor%20stöd&limit=100',
  '/v1/resources/nearby?lat=57.70&lon=11.97&radiusKm=300&limit=100',
  '/v1/resources/nearby?lat=59.33&lon=18.07&radiusKm=50&limit=100',
  '/v1/resources?openAt=2026-06-19T18:00:00%2B02:00&limit=100',
  '/v1/resources?municipality=1480&limit=100',
  '/v1/coverage?county=14',
  '/v1/coverage?county=01&format=csv',
  '/v1/coverage/national',
];

/** Where `text` is in `bytes` as UTF-8, Latin-1 or UTF-16 (v8's serialiser writes strings in the latter two). */
function inTheClear(bytes: Buffer, text: string): string[] {
  return (['utf8', 'latin1', 'utf16le'] as const).filter((encoding) =>
    bytes.includes(Buffer.from(text, encoding)),
  );
}

async function answers(app: FastifyInstance): Promise<string[]> {
  const out: string[] = [];
  for (const url of questions) {
    const response = await app.inject(url);
    out.push(`${response.statusCode} ${response.body}`);
  }
  return out;
}

/** Answers of an app that builds its model in the process, on the same database: the reference. */
async function referenceAnswers(): Promise<string[]> {
  const reference = await start(false);
  try {
    return await answers(reference);
  } finally {
    await reference.close();
  }
}

t.test(
  'a model built in a process of its own answers as one built here, and the next start reads it',
  async (t) => {
    const first = await start(true);
    t.equal(sqliteReadModel(first).stats.separateBuilds, 1, 'built by the builder process');
    t.equal(sqliteReadModel(first).stats.fullBuilds, 0, 'not built in the server');
    t.ok(existsSync(saved), 'saved beside the database');
    const built = await answers(first);
    await first.close();
    const reference = await referenceAnswers();
    t.ok(
      built.every((answer) => answer.startsWith('200 ')),
      'every question answered',
    );
    t.same(built, reference, 'the same answers as a model built in the process');

    const second = await start(true);
    t.teardown(() => second.close());
    t.equal(sqliteReadModel(second).stats.loads, 1, 'the next start reads the saved model');
    t.equal(
      sqliteReadModel(second).stats.separateBuilds + sqliteReadModel(second).stats.fullBuilds,
      0,
      'and builds nothing',
    );
    t.same(await answers(second), reference, 'and answers the same');

    const list = await request(second, '/v1/resources?limit=5');
    const names = (list.body.items as Body[]).map((item) => item.name as string);
    const bytes = readFileSync(saved);
    t.same(
      names.flatMap((name) => inTheClear(bytes, name)),
      [],
      'the file holds no resource text in the clear, in any encoding',
    );
    t.not(inTheClear(v8.serialize(names), names[0] as string), [], 'the check sees a name as v8 writes it');
    const sqlite = new Database(databasePath, { readonly: true });
    t.teardown(() => sqlite.close());
    const fingerprint = await modelFingerprint(sqlite);
    t.type(
      await readSnapshot(saved, readKey(sqlite), fingerprint, undefined),
      'object',
      'readable by this code',
    );
    t.equal(
      await readSnapshot(saved, readKey(sqlite), `${fingerprint}-other`, undefined),
      'other-code',
      'a model saved by other code is refused',
    );
    t.equal(
      await readSnapshot(saved, Buffer.alloc(32), fingerprint, undefined),
      'unreadable',
      'and under another key, unreadable',
    );
  },
);

t.test('a model saved before data changed elsewhere is not read', async (t) => {
  const sqlite = new Database(databasePath);
  const id = sqlite.prepare('SELECT id FROM resources ORDER BY id LIMIT 1').pluck().get() as string;
  // A change the server never saw (another tool, a restored backup): same version count, other data.
  sqlite
    .prepare("UPDATE resources SET name = 'Ändrad utanför servern', version = version + 1 WHERE id = ?")
    .run(id);
  sqlite.close();
  const app = await start(true);
  t.teardown(() => app.close());
  t.equal(sqliteReadModel(app).stats.loads, 0, 'the saved model is not read');
  t.equal(sqliteReadModel(app).stats.separateBuilds, 1, 'a new one is built');
  const one = await request(app, `/v1/resources/${id}`);
  t.equal(one.body.name, 'Ändrad utanför servern', 'the answer has the change');
  const text = await request(app, '/v1/resources?q=utanför');
  t.same(
    (text.body.items as Body[]).map((item) => item.id),
    [id],
    'and the text index too',
  );
});

t.test('a model saved from other data of the same version is not read (a restored backup)', async (t) => {
  // The database as a backup would hold it, and a model saved from it.
  const first = await start(true);
  await first.close();
  const backup = join(dir, 'backup.db');
  const sqlite = new Database(databasePath);
  await sqlite.backup(backup);
  sqlite.close();
  // A change the server saves a model of …
  const app = await start(true);
  const token = await createToken(app.tokens, 'admin', { kind: 'admin' });
  const entry = resourceInput({ name: 'Tillagd efter säkerhetskopian' });
  const created = await postResource(app, { authorization: `Bearer ${token}` }, entry);
  t.equal(created.response.statusCode, 201);
  await sqliteReadModel(app).rebuildInBackground();
  const savedVersion = app.readModel.current().version;
  await app.close();
  // … then the backup restored, and other changes made to it up to the same version.
  for (const suffix of ['-wal', '-shm']) rmSync(`${databasePath}${suffix}`, { force: true });
  writeFileSync(databasePath, readFileSync(backup));
  const restored = new Database(databasePath);
  const id = restored.prepare('SELECT id FROM resources ORDER BY id LIMIT 1').pluck().get() as string;
  const version = () => restored.prepare('SELECT version FROM dataset_version').pluck().get() as number;
  t.ok(version() < savedVersion, 'the backup is older than the saved model');
  while (version() < savedVersion)
    restored
      .prepare("UPDATE resources SET name = 'Ändrad i kopian', version = version + 1 WHERE id = ?")
      .run(id);
  t.equal(version(), savedVersion, 'the restored database reaches the saved model’s version');
  restored.close();
  const next = await start(true);
  t.teardown(() => next.close());
  t.equal(sqliteReadModel(next).stats.loads, 0, 'the saved model is not read');
  t.equal((await next.inject(`/v1/resources/${entry.id}`)).statusCode, 404, 'the lost change is not shown');
  t.equal((await request(next, `/v1/resources/${id}`)).body.name, 'Ändrad i kopian', 'the restored data is');
});

t.test('a withdrawn address makes every model saved before unreadable', async (t) => {
  const street = 'Skyddsgatan 4711';
  const app = await start(true);
  const token = await createToken(app.tokens, 'anna-14', { kind: 'county', county: '14' });
  const bearer = { authorization: `Bearer ${token}` };
  const entry = publicShelter({ street, postalCode: '503 99', lat: 57.7212345, lon: 12.9412345 });
  const created = await postResource(app, bearer, entry);
  t.equal(created.response.statusCode, 201);
  // The next build (in the builder process) saves a model that holds the public address.
  const builds = sqliteReadModel(app).stats.separateBuilds;
  await sqliteReadModel(app).rebuildInBackground();
  t.equal(sqliteReadModel(app).stats.separateBuilds, builds + 1, 'rebuilt by the builder process');
  const before = readFileSync(saved);
  const sqlite = new Database(databasePath, { readonly: true });
  t.teardown(() => sqlite.close());
  t.type(
    await readSnapshot(saved, readKey(sqlite), await modelFingerprint(sqlite), undefined),
    'object',
    'readable while public',
  );

  const key = readKey(sqlite) as Buffer;
  const withdrawn = await withdrawAddress(app, bearer, entry, created.response.headers.etag as string);
  t.equal(withdrawn.response.statusCode, 200);
  const answered = await app.inject('/v1/resources/nearby?lat=57.72&lon=12.94&radiusKm=5&limit=100');
  t.notOk(answered.body.includes(street), 'the running app no longer shows the street');
  t.same(
    readdirSync(dir).filter((file) => file.startsWith('stodkartan.db.read-model')),
    [],
    'the saved model and any builder output are removed',
  );
  // The key is deleted in the write; its bytes leave the database files when the log is emptied (a build
  // under way is ended for it).
  const keyOnDisk = () =>
    ['', '-wal']
      .map((suffix) => `${databasePath}${suffix}`)
      .filter((path) => existsSync(path) && readFileSync(path).includes(key));
  for (let waited = 0; waited < 10_000 && keyOnDisk().length > 0; waited += 50)
    await new Promise((resolve) => setTimeout(resolve, 50));
  t.same(keyOnDisk(), [], 'the old key is gone from the database and its log');
  await app.close();

  const copy = join(dir, 'old.read-model');
  writeFileSync(copy, before);
  t.equal(
    await readSnapshot(copy, readKey(sqlite), await modelFingerprint(sqlite), undefined),
    'unreadable',
    'the old file cannot be read',
  );
  t.same(inTheClear(before, street), [], 'and never held the street in the clear');

  const next = await start(true);
  t.teardown(() => next.close());
  t.equal(sqliteReadModel(next).stats.loads, 0, 'a start does not read a model saved before the withdrawal');
  const one = await request(next, `/v1/resources/${entry.id}`);
  t.same(one.body.locations, [{ visibility: 'confidential', municipality: '1490' }]);
  const near = await next.inject('/v1/resources/nearby?lat=57.72&lon=12.94&radiusKm=5&limit=100');
  t.notOk(near.body.includes(street), 'nearby does not show the street');
  t.type(
    await readSnapshot(saved, readKey(sqlite), await modelFingerprint(sqlite), undefined),
    'object',
    'the new model is readable',
  );
});

t.test('a builder process that fails leaves the build to the server', async (t) => {
  rmSync(saved, { force: true });
  // A directory where the model file goes: the builder cannot save it, and reading it fails too.
  mkdirSync(join(saved, 'blocked'), { recursive: true });
  t.teardown(() => rmSync(saved, { recursive: true, force: true }));
  const app = await start(true);
  t.teardown(() => app.close());
  t.equal(sqliteReadModel(app).stats.separateBuilds, 0);
  t.equal(sqliteReadModel(app).stats.fullBuilds, 1, 'built in the server instead');
  const list = await request(app, '/v1/resources?limit=1');
  t.equal(list.response.statusCode, 200);
  t.ok(list.body.totalItems > 0, 'and answering');

  // A rebuild after a write fails the same way, and is done in the server too.
  const token = await createToken(app.tokens, 'bertil-14', { kind: 'county', county: '14' });
  const entry = resourceInput({ name: 'Skrivet efter starten' });
  const created = await postResource(app, { authorization: `Bearer ${token}` }, entry);
  t.equal(created.response.statusCode, 201);
  const background = sqliteReadModel(app).stats.backgroundBuilds;
  await sqliteReadModel(app).rebuildInBackground();
  t.equal(sqliteReadModel(app).stats.separateBuilds, 0, 'no model came from a builder process');
  t.equal(sqliteReadModel(app).stats.backgroundBuilds, background + 1, 'the rebuild was done in the server');
  const found = await request(app, `/v1/resources?q=${encodeURIComponent('Skrivet efter starten')}`);
  t.same(
    found.body.items.map((item: Body) => item.id),
    [entry.id],
    'and answers with the write',
  );
});

t.test('a builder process finding no model key saves nothing and exits 3', async (t) => {
  const copy = join(dir, 'keyless.db');
  const source = new Database(databasePath, { readonly: true });
  await source.backup(copy);
  source.close();
  const keyless = new Database(copy);
  keyless.prepare('DELETE FROM read_model_key').run();
  keyless.close();
  const output = join(dir, 'keyless.read-model');
  const run = await runScript('src/read-model/builder-process.ts', [copy, output, 'fingerprint'], {});
  t.equal(run.code, 3, 'an address was withdrawn since the build was asked for');
  t.notOk(existsSync(output), 'nothing was written');
});
