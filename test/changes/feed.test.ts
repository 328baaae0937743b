// GET /v1/changes on the seeded dataset and after writes through the API: the replay equals the export,
// paging, ETag and 304, cursors that were never handed out, the exports' Changes-Cursor, and redaction (no
// token names, no address once withdrawn, in any entry however old).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { createToken } from '../../src/auth/tokens.js';
import { sqliteDatabase } from '../../src/db/plugin.js';
import { parseDataset, storeDataset } from '../../src/resources/dataset.js';
import { type Body, buildTestApp, expectProblem, request, testConfig } from '../helpers/app.js';
import { resourceInput } from '../helpers/fixtures.js';
import { asNdjson, follow, newConsumer } from './follow.js';

const app = await buildTestApp(t);
const tokenName = 'handlaggare-lansstyrelsen-14';
const token = await createToken(app.tokens, tokenName, { kind: 'admin' });
const bearer = { authorization: `Bearer ${token}` };
const ndjson = async () => (await app.inject('/v1/export/resources.ndjson')).body;

t.test('the feed of a freshly seeded database replays to exactly the NDJSON export', async (t) => {
  const consumer = newConsumer();
  await follow(app, consumer, 7);
  const exported = await ndjson();
  t.ok(consumer.resources.size > 40, `the seed's ${consumer.resources.size} resources are in the feed`);
  t.equal(asNdjson(consumer), exported, 'byte for byte');
  t.ok(
    consumer.seen.every((e: Body) => e.action === 'create'),
    'the seed recorded a create for each resource',
  );
  const cursors = consumer.seen.map((e: Body) => e.cursor);
  t.equal(new Set(cursors).size, cursors.length, 'every entry has its own cursor');
});

t.test('a page: shape, Link, ETag, 304, and nothing new as an empty page', async (t) => {
  const first = await request(app, '/v1/changes?limit=2');
  t.equal(first.response.statusCode, 200);
  t.match(first.response.headers['content-type'], /^application\/json/);
  t.equal(first.body.items.length, 2);
  t.equal(first.body.hasMore, true);
  const [entry] = first.body.items;
  t.match(entry, {
    cursor: String,
    at: String,
    resourceId: String,
    action: 'create',
    resource: { id: String },
  });
  t.equal(entry.resource.id, entry.resourceId);
  t.equal(entry.resource.updatedAt, entry.at, 'the resource as it was after the change');
  t.equal(first.response.headers.link, `</v1/changes?after=${first.body.next}&limit=2>; rel="next"`);

  const etag = first.response.headers.etag as string;
  const again = await app.inject({ url: '/v1/changes?limit=2', headers: { 'if-none-match': etag } });
  t.equal(again.statusCode, 304, 'the same page, unchanged: 304');
  t.equal(again.body, '');

  const consumer = newConsumer();
  await follow(app, consumer);
  const atEnd = await request(app, `/v1/changes?after=${consumer.cursor}`);
  t.same(atEnd.body.items, [], 'nothing new: an empty page');
  t.equal(atEnd.body.next, consumer.cursor, 'to be asked again from the same cursor');
  t.equal(atEnd.body.hasMore, false);
  const unchanged = await app.inject({
    url: `/v1/changes?after=${consumer.cursor}`,
    headers: { 'if-none-match': atEnd.response.headers.etag as string },
  });
  t.equal(unchanged.statusCode, 304, 'nothing new, asked with the ETag: 304');

  const entry2 = resourceInput({ name: 'Ny jour i feeden' });
  const created = await app.inject({
    method: 'POST',
    url: '/v1/resources',
    headers: bearer,
    payload: entry2,
  });
  t.equal(created.statusCode, 201);
  const changed = await request(app, {
    url: `/v1/changes?after=${consumer.cursor}`,
    headers: { 'if-none-match': atEnd.response.headers.etag as string },
  });
  t.equal(changed.response.statusCode, 200, 'a new change: the old ETag no longer matches');
  t.same(
    changed.body.items.map((e: Body) => [e.resourceId, e.action]),
    [[entry2.id, 'create']],
  );
});

t.test('cursors the feed did not hand out are refused with a 400 that says why', async (t) => {
  for (const after of ['abc', 'djE6LTE', 'djE6MDE', 'djE6MQ==', 'x'.repeat(40), 'djE6MQ.']) {
    const body = await expectProblem(t, app, `/v1/changes?after=${encodeURIComponent(after)}`, 400);
    t.match(body.errors, [{ in: 'query', name: 'after' }], after);
  }
  const ahead = await expectProblem(
    t,
    app,
    `/v1/changes?after=${Buffer.from('v1:999999').toString('base64url')}`,
    400,
  );
  t.equal(ahead.code, 'unknown-cursor', 'a cursor past the newest change is not from this database');
  for (const limit of ['0', '501', 'ten']) await expectProblem(t, app, `/v1/changes?limit=${limit}`, 400);
  await expectProblem(t, app, '/v1/changes?since=2026-01-01', 400);
});

t.test('an export names its cursor; following the feed from it gives the changes made since', async (t) => {
  const exported = await app.inject('/v1/export/resources.ndjson');
  const cursor = exported.headers['changes-cursor'] as string;
  t.type(cursor, 'string');
  const dataset = await app.inject('/v1/dataset');
  t.equal(dataset.headers['changes-cursor'], cursor, '/v1/dataset names the same position');
  for (const path of ['/v1/export/resources.csv', '/v1/export/resources.geojson'])
    t.equal((await app.inject(path)).headers['changes-cursor'], cursor, path);

  const consumer = newConsumer(cursor);
  for (const line of exported.body.split('\n').filter(Boolean)) {
    const resource = JSON.parse(line);
    consumer.resources.set(resource.id, resource);
  }
  const [id] = consumer.resources.keys();
  const etag = (await app.inject(`/v1/resources/${id}`)).headers.etag as string;
  const verified = await app.inject({
    method: 'POST',
    url: `/v1/resources/${id}/verify`,
    headers: { ...bearer, 'if-match': etag },
  });
  t.equal(verified.statusCode, 200);
  await follow(app, consumer);
  t.same(
    consumer.seen.map((e: Body) => [e.resourceId, e.action]),
    [[id, 'verify']],
    'only the change after the export',
  );
  t.equal(asNdjson(consumer), await ndjson(), 'export + feed = the export now');
});

t.test('no token name and no withdrawn address in any feed entry, however old', async (t) => {
  const street = 'Gömställetgatan 17';
  const postalCode = '553 21';
  const entry = resourceInput({
    name: 'Jouren vars adress dras tillbaka',
    serviceArea: { municipalities: ['0680'] },
    locations: [
      {
        visibility: 'public',
        municipality: '0680',
        address: { street, postalCode, city: 'Jönköping' },
        lat: 57.7812345,
        lon: 14.1612345,
      },
    ],
  });
  const from = newConsumer((await app.inject('/v1/dataset')).headers['changes-cursor'] as string);
  const created = await app.inject({ method: 'POST', url: '/v1/resources', headers: bearer, payload: entry });
  t.equal(created.statusCode, 201);
  const beforeWithdrawal = newConsumer(from.cursor);
  await follow(app, beforeWithdrawal);
  t.ok(JSON.stringify(beforeWithdrawal.seen).includes(street), 'while public, the feed shows the address');

  // Withdrawn through an import, the other path that can make a location confidential; then an API edit.
  const confidential = {
    ...entry,
    locations: [{ visibility: 'confidential' as const, municipality: '0680' }],
  };
  storeDataset(
    sqliteDatabase(app),
    parseDataset([confidential], 'test', {
      places: app.places,
      vocabulary: app.vocabulary,
      today: '2026-11-30',
    }),
    new Date().toISOString(),
  );
  // The import alone scrubs: seen before the API edit, which would scrub again.
  const afterImport = newConsumer(from.cursor);
  await follow(app, afterImport);
  const imported = JSON.stringify(afterImport.seen);
  for (const leaked of [street, postalCode, '57.78123', '14.16123'])
    t.notOk(imported.includes(leaked), `after the import alone, no ${leaked} in the feed`);
  const etag = (await app.inject(`/v1/resources/${entry.id}`)).headers.etag as string;
  const edited = await app.inject({
    method: 'PUT',
    url: `/v1/resources/${entry.id}`,
    headers: { ...bearer, 'if-match': etag },
    payload: { ...confidential, note: 'Skyddat boende' },
  });
  t.equal(edited.statusCode, 200);

  await follow(app, from);
  t.same(
    from.seen.map((e: Body) => e.action),
    ['create', 'update', 'update'],
    'the create, the import and the edit, in order',
  );
  const text = JSON.stringify(from.seen);
  for (const leaked of [street, postalCode, '57.78123', '14.16123', tokenName])
    t.notOk(text.includes(leaked), `no ${leaked} in the feed`);
  const whole = newConsumer();
  await follow(app, whole, 500);
  t.notOk(JSON.stringify(whole.seen).includes(street), 'nor anywhere in the feed from its beginning');
  t.equal(asNdjson(whole), await ndjson(), 'and the replay still equals the export');
});

t.test(
  'a database from before the feed: its states are recorded at start, and the replay holds',
  async (t) => {
    // Not a t.testdir: each app built in this test would empty that again.
    const dir = mkdtempSync(join(tmpdir(), 'stodkartan-feed-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'before-the-feed.db');
    const old = await buildApp(testConfig(t, { DATABASE_PATH: path }));
    // As a database written before every path kept history looks: the seed left none, edits left rows
    // without a version.
    const [edited, seeded] = sqliteDatabase(old)
      .sqlite.prepare('SELECT id FROM resources ORDER BY id LIMIT 2')
      .pluck()
      .all();
    sqliteDatabase(old).sqlite.exec('DELETE FROM resource_history');
    sqliteDatabase(old)
      .sqlite.prepare(
        `INSERT INTO resource_history (resource_id, at, action, before, after) VALUES (?, ?, 'update', NULL, '{}')`,
      )
      .run(edited, '2020-01-01T00:00:00.000Z');
    await old.close();

    const restarted = await buildTestApp(t, { DATABASE_PATH: path });
    const consumer = newConsumer();
    await follow(restarted, consumer, 500);
    t.equal(asNdjson(consumer), (await restarted.inject('/v1/export/resources.ndjson')).body);
    t.same(
      consumer.seen.filter((e: Body) => e.resourceId === edited).map((e: Body) => e.action),
      ['update', 'update'],
      'the old row, then the state at start',
    );
    t.same(
      consumer.seen.filter((e: Body) => e.resourceId === seeded).map((e: Body) => e.action),
      ['create'],
    );
    const again = await buildTestApp(t, { DATABASE_PATH: path });
    const count = sqliteDatabase(again).sqlite.prepare('SELECT count(*) FROM resource_history').pluck().get();
    t.equal(count, consumer.seen.length, 'a second start records nothing more');
  },
);
