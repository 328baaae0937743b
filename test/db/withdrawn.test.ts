// A location made confidential must leave nothing of its old address on disk: not in the database file,
// not in the write-ahead log or its index, not in a backup taken afterwards (issue 11, finding 5).
// Engines: SQLite only, because it reads SQLite's own files (the database, its WAL and a backup) for the old
// address; on PostgreSQL, test/db/resource-store.test.ts reads every page of the tables (pageinspect).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { createToken } from '../../src/auth/tokens.js';
import { sqliteDatabase } from '../../src/db/plugin.js';
import { ReadModelStore } from '../../src/read-model/store.js';
import { type Body, buildTestApp, postResource, request, withdrawAddress } from '../helpers/app.js';
import { publicShelter } from '../helpers/fixtures.js';

const dir = t.testdir({});
const databasePath = join(dir, 'stodkartan.db');
const app = await buildTestApp(t, { DATABASE_PATH: databasePath });
const token = await createToken(app.tokens, 'anna-14', { kind: 'county', county: '14' });
const bearer = { authorization: `Bearer ${token}` };

const street = 'Hemliggatan 4711';
const postalCode = '503 99';
const lat = 57.7212345;
const lon = 12.9412345;

/** Every way the secret could sit in a file: as text, and the coordinates as SQLite stores a REAL. */
function traces(bytes: Buffer): string[] {
  const double = (value: number) => {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(value);
    return b;
  };
  return [
    ...[street, postalCode, String(lat), String(lon)].filter((text) => bytes.includes(Buffer.from(text))),
    ...[lat, lon].filter((value) => bytes.includes(double(value))).map((value) => `REAL ${value}`),
  ];
}

function filesOnDisk(): Record<string, Buffer> {
  return Object.fromEntries(
    ['', '-wal', '-shm']
      .map((suffix) => `${databasePath}${suffix}`)
      .filter((path) => existsSync(path))
      .map((path) => [path.slice(dir.length + 1), readFileSync(path)]),
  );
}

t.test('a withdrawn address is gone from the database, its log and a backup', async (t) => {
  const entry = publicShelter({ street, postalCode, lat, lon });
  const created = await postResource(app, bearer, entry);
  t.equal(created.response.statusCode, 201);
  // Several versions of the public address, so that the log holds several frames with it.
  let etag = created.response.headers.etag as string;
  for (const hours of ['Mån 9–12', 'Tis 9–12', 'Ons 9–12']) {
    const updated = await request(app, {
      method: 'PUT',
      url: `/v1/resources/${entry.id}`,
      headers: { ...bearer, 'if-match': etag },
      payload: { ...entry, hours },
    });
    t.equal(updated.response.statusCode, 200);
    etag = updated.response.headers.etag as string;
  }
  const before = Object.values(filesOnDisk()).flatMap(traces);
  t.ok(before.length > 0, 'the public address is on disk while it is public (the check can see it)');

  const withdrawn = await withdrawAddress(app, bearer, entry, etag);
  t.equal(withdrawn.response.statusCode, 200);
  t.same((withdrawn.body as Body).locations, [{ visibility: 'confidential', municipality: '1490' }]);

  for (const [name, bytes] of Object.entries(filesOnDisk()))
    t.same(traces(bytes), [], `nothing left in ${name}`);
  const backup = join(dir, 'backup.db');
  await sqliteDatabase(app).sqlite.backup(backup);
  t.same(traces(readFileSync(backup)), [], 'nothing in a backup taken afterwards');
  const history = await request(app, `/v1/resources/${entry.id}/history`);
  // The exact values, not a prefix a timestamp could hold by chance (16:10:57.724Z holds 57.72).
  t.same(traces(Buffer.from(JSON.stringify(history.body))), [], 'nothing in the history');
});

/** Publishes a shelter at this street, with a second version so that the log holds several frames of it. */
async function published(street: string): Promise<{ entry: ReturnType<typeof publicShelter>; etag: string }> {
  const entry = publicShelter({ street, postalCode, lat, lon });
  const created = await postResource(app, bearer, entry);
  const updated = await request(app, {
    method: 'PUT',
    url: `/v1/resources/${entry.id}`,
    headers: { ...bearer, 'if-match': created.response.headers.etag as string },
    payload: { ...entry, hours: 'Mån 9–12' },
  });
  return { entry, etag: updated.response.headers.etag as string };
}

const onDisk = (text: string) =>
  Object.entries(filesOnDisk())
    .filter(([, bytes]) => bytes.includes(Buffer.from(text)))
    .map(([name]) => name);

t.test(
  'a withdrawal while the read model is being rebuilt ends the build, so the log is emptied',
  async (t) => {
    const street = 'Ombyggnadsgatan 17';
    const { entry, etag } = await published(street);
    // A store beside the app's that rebuilds one resource per turn of the event loop, so that its read
    // transaction, which would keep the log (and the street in it) from being emptied, is still open when
    // the withdrawal commits.
    const slow = new ReadModelStore(sqliteDatabase(app), app.places, app.vocabulary, {
      path: databasePath,
      chunk: 1,
      syncRebuildBelow: 0,
    });
    t.teardown(() => slow.close());
    const rebuilt = slow.rebuildInBackground();
    t.not(onDisk(street), [], 'the street is on disk while public');
    const withdrawn = await withdrawAddress(app, bearer, entry, etag);
    t.equal(withdrawn.response.statusCode, 200);
    t.ok(slow.rebuilding, 'the rebuild had not finished when the write was answered');
    t.same(onDisk(street), [], 'nothing left on disk as soon as the write is answered');
    await rebuilt;
    // The aborted build starts again once: wait for it (at most 10 s).
    for (let waited = 0; slow.rebuilding && waited < 10_000; waited += 10)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const json = slow.current().resources.get(entry.id as string)?.json ?? '';
    t.notOk(json.includes(street), 'the rebuilt model does not hold the street');
    t.match(json, /"visibility":"confidential"/, 'but the withdrawn location');
  },
);

t.test('a reader in another connection delays emptying the log, not the write', async (t) => {
  const street = 'Läsargatan 23';
  const { entry, etag } = await published(street);
  const reader = new Database(databasePath, { readonly: true });
  reader.exec('BEGIN');
  reader.prepare('SELECT count(*) FROM resources').get();
  const withdrawn = await withdrawAddress(app, bearer, entry, etag);
  t.equal(withdrawn.response.statusCode, 200, 'the write is answered while the reader holds the log');
  reader.exec('COMMIT');
  reader.close();
  // Emptying the log is tried again until the reader has let go (every 100 ms): at most 5 s here.
  for (let waited = 0; waited < 5_000 && onDisk(street).length > 0; waited += 50)
    await new Promise((resolve) => setTimeout(resolve, 50));
  t.same(onDisk(street), [], 'nothing left on disk once the reader is gone');
});
