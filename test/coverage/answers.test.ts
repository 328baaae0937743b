// Coverage answers kept per read model (src/coverage/answer-cache.ts): the cache never holds more than its
// bound and drops what an older read model computed; through the routes, a kept answer is byte for byte the
// one computed afresh, and a write or an inventory recorded since is seen by the next answer.

import fc from 'fast-check';
import t from 'tap';
import { createToken } from '../../src/auth/tokens.js';
import { AnswerCache, type CachedAnswer } from '../../src/coverage/answer-cache.js';
import { toInput } from '../../src/resources/changes.js';
import { type Body, buildTestApp, importEntries, request } from '../helpers/app.js';

const answerOf = (bytes: number, tag = ''): CachedAnswer => ({
  body: Buffer.alloc(bytes, tag || 'x'),
  contentType: 'application/json',
  headers: {},
});

t.test('the cache never holds more bytes than its bound, whatever is asked', async (t) => {
  const step = fc.record({
    key: fc.integer({ min: 0, max: 15 }),
    bytes: fc.integer({ min: 0, max: 700 }),
    source: fc.integer({ min: 0, max: 2 }),
  });
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2_000 }), fc.array(step, { maxLength: 60 }), (bound, steps) => {
      const sources = [{}, {}, {}];
      const cache = new AnswerCache(bound);
      for (const { key, bytes, source } of steps) {
        let made = false;
        const answer = cache.answer(sources[source] as object, `k${key}`, () => {
          made = true;
          return answerOf(bytes);
        });
        if (cache.bytes > bound) throw new Error(`holds ${cache.bytes} bytes, bound ${bound}`);
        if (cache.size > 0 && cache.bytes === 0) throw new Error('answers held without their bytes');
        // What was just made or found and fits is there to be found again, with the same bytes.
        const again = cache.answer(sources[source] as object, `k${key}`, () => answerOf(bytes));
        if (!made && again !== answer) throw new Error('a found answer was not kept');
      }
    }),
    { numRuns: 300 },
  );
  t.pass('300 random sequences stay within their bound');
});

t.test('the least recently used answer goes first', async (t) => {
  const source = {};
  // Room for two: 100 bytes of body, and the key and media type at two bytes a character (2 × 17).
  const cache = new AnswerCache(2 * 134);
  const made: string[] = [];
  const ask = (key: string) =>
    cache.answer(source, key, () => {
      made.push(key);
      return answerOf(100, key);
    });
  ask('a');
  ask('b');
  ask('a');
  ask('c');
  t.same(made, ['a', 'b', 'c'], 'a was found again');
  t.equal(cache.size, 2);
  ask('a');
  ask('b');
  t.same(made, ['a', 'b', 'c', 'b'], 'b, least recently used, made way for c; a was kept');
  t.ok(cache.bytes <= cache.maxBytes);
  t.same(cache.stats, { hits: 2, misses: 4, evictions: 2 });
});

t.test('answers of another read model are dropped; one larger than the bound is not kept', async (t) => {
  const cache = new AnswerCache(1_000);
  const first = {};
  const second = {};
  cache.answer(first, 'k', () => answerOf(100, 'a'));
  const fresh = cache.answer(second, 'k', () => answerOf(100, 'b'));
  t.equal(fresh.body.toString(), 'b'.repeat(100), 'computed again from the new model');
  t.equal(cache.size, 1);
  const back = cache.answer(first, 'k', () => answerOf(100, 'c'));
  t.equal(back.body.toString(), 'c'.repeat(100), 'nothing of a model once dropped comes back');
  const large = cache.answer(first, 'large', () => answerOf(2_000));
  t.equal(large.body.length, 2_000, 'answered');
  t.equal(cache.size, 1, 'not kept');
  t.ok(cache.bytes <= 1_000);
  const none = new AnswerCache(0);
  none.answer(first, 'k', () => answerOf(0));
  t.equal(none.size, 0, 'a bound of 0 keeps nothing');
});

const app = await buildTestApp(t);
const uncached = await buildTestApp(t, { COVERAGE_CACHE_MB: '0' });

/** Every header a coverage answer carries besides those that differ between two requests. */
const sent = (response: { headers: Record<string, unknown>; rawPayload: Buffer }) => ({
  headers: Object.fromEntries(
    Object.entries(response.headers).filter(
      ([name]) => !['date', 'x-request-id'].includes(name) && !name.startsWith('x-ratelimit-'),
    ),
  ),
  body: response.rawPayload.toString('base64'),
});

const questions = [
  '/v1/coverage?county=06',
  '/v1/coverage?county=14',
  '/v1/coverage?county=01',
  '/v1/coverage?subregion=skaraborg',
  '/v1/coverage?municipality=0680',
  '/v1/coverage?county=06&at=2018-06-01',
  '/v1/coverage?county=06&area=close-relationship&group=women&group=girls',
  '/v1/coverage?county=06&group=girls&area=close-relationship&group=women',
  '/v1/coverage?county=06&openAt=2026-06-19T20:00:00%2B02:00',
  '/v1/coverage?county=06&format=csv',
  '/v1/coverage?county=06&format=csv&delimiter=comma',
  '/v1/coverage/national',
  '/v1/coverage/national?role=perpetrator',
  '/v1/coverage/national?openAt=2026-12-24T01:00:00.000Z',
];

t.test('a kept answer is byte for byte, headers too, the one computed afresh', async (t) => {
  // Each question twice, in turn, so that the second comes from the cache; CSV in both languages.
  for (const round of [1, 2]) {
    for (const url of questions) {
      for (const headers of [{}, { 'accept-language': 'en' }, { accept: 'text/csv' }]) {
        const kept = await app.inject({ url, headers });
        const fresh = await uncached.inject({ url, headers });
        t.equal(kept.statusCode, 200, `${url} answers 200`);
        t.same(sent(kept), sent(fresh), `${url} ${JSON.stringify(headers)}, round ${round}`);
      }
    }
  }
});

t.test('an answer after a write reflects the write', async (t) => {
  const bearer = `Bearer ${await createToken(app.tokens, 'admin', { kind: 'admin' })}`;
  const [barnahus] = (await request(app, '/v1/resources?county=06&kind=barnahus&national=false')).body.items;
  t.ok(barnahus, "Jönköpings län's Barnahus");
  const listsIt = (report: Body) =>
    report.cells.some((cell: Body) => cell.resources.some((r: Body) => r.id === barnahus.id));
  const before = await request(app, '/v1/coverage?county=06');
  const nationalBefore = (await request(app, '/v1/coverage/national')).body;
  const csvBefore = (await app.inject('/v1/coverage?county=06&format=csv')).body;
  t.ok(listsIt(before.body), 'listed before');
  t.ok(csvBefore.includes(barnahus.name), 'in the CSV before');
  t.equal((await app.inject('/v1/coverage?county=06')).body, before.response.body, 'the same again');

  const written = await app.inject({
    method: 'PUT',
    url: `/v1/resources/${barnahus.id}`,
    headers: { authorization: bearer, 'if-match': '*' },
    payload: { ...toInput(barnahus), status: 'inactive' },
  });
  t.equal(written.statusCode, 200);

  const after = await request(app, '/v1/coverage?county=06');
  t.notOk(listsIt(after.body), 'no longer listed: an inactive resource never counts');
  t.notOk(
    (await app.inject('/v1/coverage?county=06&format=csv')).body.includes(barnahus.name),
    'nor in the CSV',
  );
  const county = (overview: Body) => overview.counties.find((c: Body) => c.county.code === '06');
  const nationalAfter = (await request(app, '/v1/coverage/national')).body;
  t.notSame(county(nationalAfter).summary, county(nationalBefore).summary, 'the national overview moved too');
  // The same as an app that keeps nothing answers after the same write.
  const fresh = await uncached.inject({
    method: 'PUT',
    url: `/v1/resources/${barnahus.id}`,
    headers: {
      authorization: `Bearer ${await createToken(uncached.tokens, 'admin', { kind: 'admin' })}`,
      'if-match': '*',
    },
    payload: { ...toInput(barnahus), status: 'inactive' },
  });
  t.equal(fresh.statusCode, 200);
  for (const url of ['/v1/coverage?county=06', '/v1/coverage/national']) {
    t.same(sent(await app.inject(url)), sent(await uncached.inject(url)), `${url} as computed afresh`);
  }
});

t.test('an inventory recorded since is seen by the next answer', async (t) => {
  const before = (await request(app, '/v1/coverage?county=01')).body;
  const nationalBefore = (await request(app, '/v1/coverage/national')).body;
  t.equal(before.inventoried, false, 'Stockholms län has no inventory in the seed');
  // An import of the inventory alone, as `npm run db:import` takes it: no resource changes.
  await importEntries(app, {
    inventories: [
      {
        county: '01',
        completedOn: '2025-01-01',
        completeness: 'selection',
        source: { title: 'Test inventory' },
      },
    ],
  });
  const after = (await request(app, '/v1/coverage?county=01')).body;
  t.equal(after.inventoried, true);
  t.equal(after.inventory.source.title, 'Test inventory');
  const stockholm = (overview: Body) => overview.counties.find((c: Body) => c.county.code === '01');
  t.equal(stockholm(nationalBefore).inventoried, false);
  t.equal(stockholm((await request(app, '/v1/coverage/national')).body).inventoried, true);
});
