// A location made confidential must leave nothing of its old address on disk: not in the database file,
// not in the write-ahead log or its index, not in a backup taken afterwards (issue 11, finding 5).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { createToken } from '../../src/auth/tokens.js';
import { type Body, buildTestApp, request } from '../helpers/app.js';
import { resourceInput } from '../helpers/fixtures.js';

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
  const entry = resourceInput({
    name: 'Jouren med skyddat boende',
    locations: [
      {
        visibility: 'public',
        municipality: '1490',
        address: { street, postalCode, city: 'Borås' },
        lat,
        lon,
      },
    ],
  });
  const created = await request(app, {
    method: 'POST',
    url: '/v1/resources',
    headers: bearer,
    payload: entry,
  });
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

  const withdrawn = await request(app, {
    method: 'PUT',
    url: `/v1/resources/${entry.id}`,
    headers: { ...bearer, 'if-match': etag },
    payload: { ...entry, locations: [{ visibility: 'confidential', municipality: '1490' }] },
  });
  t.equal(withdrawn.response.statusCode, 200);
  t.same((withdrawn.body as Body).locations, [{ visibility: 'confidential', municipality: '1490' }]);

  for (const [name, bytes] of Object.entries(filesOnDisk()))
    t.same(traces(bytes), [], `nothing left in ${name}`);
  const backup = join(dir, 'backup.db');
  await app.database.sqlite.backup(backup);
  t.same(traces(readFileSync(backup)), [], 'nothing in a backup taken afterwards');
  const history = await request(app, `/v1/resources/${entry.id}/history`);
  // The exact values, not a prefix a timestamp could hold by chance (16:10:57.724Z holds 57.72).
  t.same(traces(Buffer.from(JSON.stringify(history.body))), [], 'nothing in the history');
});
