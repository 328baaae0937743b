// Staying up: rate limits, body limit, security headers, load shedding, proxies, graceful shutdown.
import { existsSync, statSync } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { join } from 'node:path';
import helmet, { type HelmetOptions } from 'helmet';
import t from 'tap';
import { helmetOptions } from '../../src/http/security-headers.js';
import { pageContentSecurityPolicy } from '../../src/pages/routes.js';
import { buildTestApp, expectProblem, request, testEngine } from '../helpers/app.js';
import { freshPostgresDatabase } from '../helpers/postgres.js';
import { startServer } from '../helpers/process.js';

t.test(
  'reads and writes have separate per-client limits; 429 is problem+json with Retry-After',
  async (t) => {
    const app = await buildTestApp(t, { RATE_LIMIT_READS: '5', RATE_LIMIT_WRITES: '2' });
    for (let i = 0; i < 5; i++) t.equal((await request(app, '/v1/counties')).response.statusCode, 200);
    const limited = await expectProblem(t, app, '/v1/counties', 429);
    t.equal(limited.code, 'too-many-requests');
    t.ok(Number((await app.inject('/v1/vocabulary')).headers['retry-after']) > 0, 'Retry-After');
    t.equal((await request(app, '/health')).response.statusCode, 200, 'health checks are never limited');
    for (const probe of ['/health?x=1', '/health?', '/ready', '/ready?probe=k8s'])
      t.equal((await app.inject(probe)).statusCode, 200, `${probe} is never limited, query string or not`);

    const write = { method: 'POST' as const, url: '/v1/resources', payload: {} };
    t.equal((await request(app, write)).response.statusCode, 401, 'writes have their own bucket');
    t.equal((await request(app, write)).response.statusCode, 401);
    await expectProblem(t, app, write, 429);
  },
);

t.test('behind a trusted proxy, clients are told apart by X-Forwarded-For', async (t) => {
  const app = await buildTestApp(t, { RATE_LIMIT_READS: '2', TRUST_PROXY: 'true' });
  const from = (ip: string) => ({ url: '/v1/counties', headers: { 'x-forwarded-for': ip } });
  for (let i = 0; i < 2; i++) t.equal((await request(app, from('198.51.100.1'))).response.statusCode, 200);
  t.equal((await request(app, from('198.51.100.1'))).response.statusCode, 429);
  t.equal((await request(app, from('198.51.100.2'))).response.statusCode, 200, 'another client');
});

t.test('a body over the limit is refused with 413', async (t) => {
  const app = await buildTestApp(t, { BODY_LIMIT: '1024' });
  const problem = await expectProblem(
    t,
    app,
    { method: 'POST', url: '/v1/resources/search', payload: { lat: 57, lon: 12, q: 'x'.repeat(2000) } },
    413,
  );
  t.type(problem.detail, 'string');
});

/** The headers helmet's own middleware sets on a real response with these options. */
function setByHelmet(options: HelmetOptions): Record<string, unknown> {
  const response = new ServerResponse(new IncomingMessage(new Socket()));
  helmet(options)({} as never, response, () => {});
  return response.getHeaders();
}

t.test('security headers: every answer carries what helmet sets, the pages their own policy', async (t) => {
  const app = await buildTestApp(t);
  const { response } = await request(app, '/v1/counties');
  t.equal(response.headers['x-content-type-options'], 'nosniff');
  t.match(response.headers['content-security-policy'], /default-src 'self'/);
  t.ok(response.headers['strict-transport-security']);

  const service = setByHelmet(helmetOptions);
  const pages = setByHelmet({ ...helmetOptions, contentSecurityPolicy: pageContentSecurityPolicy });
  t.ok(Object.keys(service).length >= 10, 'helmet sets a dozen headers');
  for (const [url, want] of [
    ['/v1/counties', service],
    ['/v1/resources?limit=1', service],
    ['/v1/no-such-route', service],
    ['/v1/resources?kind=nope', service],
    ['/v1/resources/nearby?lat=x', service],
    ['/coverage', pages],
    ['/accessibility', pages],
  ] as const) {
    const answer = await app.inject(url);
    for (const [name, value] of Object.entries(want))
      t.equal(answer.headers[name], value, `${url} (${answer.statusCode}): ${name}`);
  }
  t.notMatch(
    (await app.inject('/coverage')).headers['content-security-policy'],
    /upgrade-insecure-requests/,
    "the pages' own policy, not the service's",
  );

  // A page's refusal carries the page's headers too.
  const limited = await buildTestApp(t, { RATE_LIMIT_READS: '1' });
  t.equal((await limited.inject('/coverage')).statusCode, 200);
  const refused = await limited.inject('/coverage');
  t.equal(refused.statusCode, 429);
  for (const [name, value] of Object.entries(pages))
    t.equal(refused.headers[name], value, `429 /coverage: ${name}`);
});

t.test('when the event loop lags, requests get 503 + Retry-After instead of queueing', async (t) => {
  const app = await buildTestApp(t, { MAX_EVENT_LOOP_DELAY_MS: '50' });
  const until = Date.now() + 1500;
  while (Date.now() < until) {
    // Block the event loop on purpose, as a runaway computation would.
  }
  let shed: Awaited<ReturnType<typeof request>> | undefined;
  for (let i = 0; i < 40 && shed?.response.statusCode !== 503; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    shed = await request(app, '/v1/counties');
  }
  t.equal(shed?.response.statusCode, 503);
  t.match(shed?.response.headers['content-type'], /application\/problem\+json/);
  t.equal(shed?.response.headers['retry-after'], '10');
  t.equal(shed?.body.code, 'overloaded');
  // Liveness is not shed (a probe must not restart a busy, healthy server); readiness says why not to send
  // traffic now.
  const live = await request(app, '/health');
  t.equal(live.response.statusCode, 200, '/health answers while the guard sheds');
  t.same(live.body, { status: 'ok' });
  const ready = await request(app, '/ready');
  t.equal(ready.response.statusCode, 503, '/ready says the instance is shedding');
  t.equal(ready.body.code, 'overloaded');
  t.match(ready.response.headers['content-type'], /application\/problem\+json/);
});

t.test('/ready answers 200 when the database answers and the read model is loaded', async (t) => {
  const app = await buildTestApp(t);
  const { response, body } = await request(app, '/ready');
  t.equal(response.statusCode, 200);
  t.same(body, { status: 'ready' });
  t.equal((await app.inject('/ready?probe=kubelet')).statusCode, 200, 'a probe takes any query string');
});

t.test('SIGTERM drains in-flight requests, then closes the database', async (t) => {
  const path = join(t.testdir({}), 'shutdown.db');
  const server = await startServer({
    DATABASE_PATH: path,
    ...(testEngine === 'postgresql' ? { DATABASE_URL: await freshPostgresDatabase(t) } : {}),
  });
  t.teardown(() => server.child.kill('SIGKILL'));
  // SIGTERM goes out as soon as the first answer arrives, while the other requests are still in flight.
  let signalled = false;
  const outcomes = await Promise.all(
    Array.from({ length: 60 }, async () => {
      try {
        const response = await fetch(`${server.url}/v1/resources?q=v%C3%A5ld&limit=100`);
        if (!signalled) {
          signalled = true;
          server.child.kill('SIGTERM');
        }
        const body = await response.text();
        return response.status === 200
          ? JSON.parse(body).items.length > 0
            ? 'complete'
            : 'empty'
          : String(response.status);
      } catch {
        return 'refused';
      }
    }),
  );
  const code = await new Promise<number | null>((resolve) =>
    server.child.once('exit', (exitCode) => resolve(exitCode)),
  );
  t.equal(code, 0, 'exits cleanly');
  t.ok(outcomes.includes('complete'), 'requests in flight were answered');
  t.ok(
    outcomes.every((o) => o === 'complete' || o === 'refused' || o === '503'),
    `every request was answered in full or refused: ${[...new Set(outcomes)].join(', ')}`,
  );
  if (testEngine === 'sqlite') {
    const wal = `${path}-wal`;
    t.ok(!existsSync(wal) || statSync(wal).size === 0, 'the WAL was checkpointed on close');
  }
});
