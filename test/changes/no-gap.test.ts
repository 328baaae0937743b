// A cursor never skips a change committed later: writes arrive at once from two processes on one database
// (a server process over HTTP, and this process through the API and an import), while a reader polls the
// feed with its cursor. The reader must end up with every change exactly once, in the feed's order.

import { join } from 'node:path';
import t from 'tap';
import { createToken } from '../../src/auth/tokens.js';
import { sqliteDatabase } from '../../src/db/plugin.js';
import { parseDataset, storeDataset } from '../../src/resources/dataset.js';
import { type Body, buildTestApp } from '../helpers/app.js';
import { resourceInput } from '../helpers/fixtures.js';
import { startServer } from '../helpers/process.js';
import { follow, newConsumer } from './follow.js';

const databasePath = join(t.testdir({}), 'feed.db');
// The reader polls as fast as it can while the writers write; on a slow machine that is more than the default
// 1 200 reads a minute of one client, and a 429 is not what this test is about.
const app = await buildTestApp(t, { DATABASE_PATH: databasePath, RATE_LIMIT_READS: '1000000' });
const token = await createToken(app.tokens, 'admin', { kind: 'admin' });
const authorization = `Bearer ${token}`;

t.test('a reader polling with its cursor misses no change made by concurrent writers', async (t) => {
  const server = await startServer({ DATABASE_PATH: databasePath });
  t.teardown(() => server.child.kill('SIGKILL'));

  // The reader starts where an export would leave it: after the seed.
  const start = (await app.inject('/v1/dataset')).headers['changes-cursor'] as string;
  const reader = newConsumer(start);
  const acknowledged: string[] = [];
  const perWriter = 12;

  async function remoteWriter(n: number) {
    for (let i = 0; i < perWriter; i += 1) {
      const entry = resourceInput({ name: `Fjärrskrivare ${n}.${i}` });
      const response = await fetch(`${server.url}/v1/resources`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify(entry),
      });
      if (response.status !== 201)
        throw new Error(`remote write: ${response.status} ${await response.text()}`);
      acknowledged.push(entry.id as string);
    }
  }
  async function localWriter(n: number) {
    for (let i = 0; i < perWriter; i += 1) {
      const entry = resourceInput({ name: `Lokal skrivare ${n}.${i}` });
      if (i % 3 === 0) {
        // An import in this process: the other write path, a transaction of its own.
        const context = { places: app.places, vocabulary: app.vocabulary, today: '2026-11-30' };
        storeDataset(sqliteDatabase(app), parseDataset([entry], 'test', context), new Date().toISOString());
      } else {
        const response = await app.inject({
          method: 'POST',
          url: '/v1/resources',
          headers: { authorization },
          payload: entry,
        });
        if (response.statusCode !== 201) throw new Error(`local write: ${response.statusCode}`);
      }
      acknowledged.push(entry.id as string);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  let writing = true;
  let polls = 0;
  async function poll() {
    while (writing) {
      await follow(app, reader, 3);
      polls += 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  const reading = poll();
  await Promise.all([remoteWriter(1), remoteWriter(2), remoteWriter(3), localWriter(4), localWriter(5)]);
  writing = false;
  await reading;
  await follow(app, reader, 3);
  t.ok(polls > 1, `the reader polled ${polls} times while the writers wrote`);

  const everything = newConsumer(start);
  await follow(app, everything, 500);
  const cursors = (consumer: typeof reader) => consumer.seen.map((e: Body) => e.cursor);
  t.equal(acknowledged.length, 5 * perWriter);
  t.same(cursors(reader), cursors(everything), 'the reader saw every change exactly once, in order');
  const created = new Set(
    reader.seen.filter((e: Body) => e.action === 'create').map((e: Body) => e.resourceId),
  );
  t.same(
    acknowledged.filter((id) => !created.has(id)),
    [],
    'every acknowledged write is in what the reader read',
  );
});
