// One client must not deny service to everyone (issue 11, finding 1). The rate limiter counts every request
// it sees, those the overload guard sheds among them, so a greedy client runs into 429 while a polite one,
// polling a single resource, keeps getting answers. Clients are told apart by address: X-Forwarded-For
// behind a trusted proxy, or inject's `remoteAddress` (the limiter keys on `request.ip`). Asserted on who is
// refused and how, never on times.
import t from 'tap';
import { buildTestApp, request } from '../helpers/app.js';

const greedy = '198.51.100.7';
const polite = '203.0.113.9';
const prober = '192.0.2.1';

/** The most a read may ask for within the cost bounds: the whole country, the longest page. */
const expensive = '/v1/resources/nearby?lat=57.7&lon=11.97&radiusKm=1000&limit=100';

/** The path of one resource, asked as a third client (the guard may shed while the app warms up). */
async function someResource(app: Awaited<ReturnType<typeof buildTestApp>>): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { response, body } = await request(app, {
      url: '/v1/resources?limit=1',
      remoteAddress: '192.0.2.2',
    });
    if (response.statusCode === 200) return `/v1/resources/${body.items[0].id}`;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('no resource could be listed');
}

const tally = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>((counts, s) => {
    counts[s] = (counts[s] ?? 0) + 1;
    return counts;
  }, {});

t.test('under bounded load, the greedy client gets 429s and the polite one 200s', async (t) => {
  // Over real HTTP on a listening server, behind a trusted proxy: clients are told apart by X-Forwarded-For.
  const app = await buildTestApp(t, { RATE_LIMIT_READS: '40', TRUST_PROXY: 'true' });
  const one = await someResource(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const get = async (path: string, from: string) => {
    const response = await fetch(`${base}${path}`, { headers: { 'x-forwarded-for': from } });
    await response.arrayBuffer();
    return response.status;
  };
  const greedyStatuses: number[] = [];
  const politeStatuses: number[] = [];
  let sent = 0;
  // Four connections' worth of the expensive query, back to back, 120 requests in all.
  const load = Array.from({ length: 4 }, async () => {
    while (sent < 120) {
      sent += 1;
      greedyStatuses.push(await get(expensive, greedy));
    }
  });
  // Meanwhile the polite client polls one resource, one request at a time, while the load lasts.
  let done = false;
  const poll = (async () => {
    while (!done) politeStatuses.push(await get(one, polite));
  })();
  await Promise.all(load);
  done = true;
  await poll;
  t.same(tally(greedyStatuses), { 200: 40, 429: 80 }, 'the greedy client: its 40 a minute, then 429');
  t.ok(politeStatuses.length >= 5, `the polite client polled ${politeStatuses.length} times`);
  t.ok(
    politeStatuses.every((s) => s === 200),
    `the polite client got 200 every time: ${JSON.stringify(tally(politeStatuses))}`,
  );
});

t.test('requests the overload guard sheds count against the client that sent them', async (t) => {
  const app = await buildTestApp(t, { RATE_LIMIT_READS: '10', MAX_EVENT_LOOP_DELAY_MS: '50' });
  const one = await someResource(app);
  const shedding = async () =>
    (await app.inject({ url: '/v1/counties', remoteAddress: prober })).statusCode === 503;
  const block = (ms: number) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      // Block the event loop on purpose, as a runaway computation would: the guard starts shedding.
    }
  };
  let shed = false;
  for (let attempt = 0; attempt < 5 && !shed; attempt++) {
    block(1500);
    for (let i = 0; i < 20 && !shed; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      shed = await shedding();
    }
  }
  t.ok(shed, 'the guard sheds load');

  // While it sheds, the greedy client sends 30 requests at once.
  const burst = await Promise.all(
    Array.from({ length: 30 }, () => app.inject({ url: expensive, remoteAddress: greedy })),
  );
  const statuses = burst.map((r) => r.statusCode);
  t.equal(statuses.filter((s) => s === 429).length, 20, 'all but its 10 a minute are 429, shed or not');
  t.ok(
    statuses.every((s) => s === 429 || s === 503 || s === 200),
    `the others are shed (503) or, once the guard let go, answered: ${JSON.stringify(tally(statuses))}`,
  );
  t.ok(statuses.includes(503), 'some were shed');
  for (const response of burst.filter((r) => r.statusCode === 429 || r.statusCode === 503)) {
    t.match(response.headers['content-type'], /^application\/problem\+json/);
    t.ok(Number(response.headers['retry-after']) > 0, 'with Retry-After');
  }

  // Once the guard lets go, the greedy client is still refused and the polite one is answered.
  for (let i = 0; i < 100 && (await shedding()); i++) await new Promise((r) => setTimeout(r, 50));
  const after = await Promise.all(
    Array.from({ length: 5 }, () => app.inject({ url: expensive, remoteAddress: greedy })),
  );
  t.same(
    after.map((r) => r.statusCode),
    [429, 429, 429, 429, 429],
    'the greedy client: 429',
  );
  const politeAnswers: number[] = [];
  for (let i = 0; i < 5; i++)
    politeAnswers.push((await app.inject({ url: one, remoteAddress: polite })).statusCode);
  t.same(politeAnswers, [200, 200, 200, 200, 200], 'the polite client: 200');
});
