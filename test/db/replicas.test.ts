// Two replicas of the app on one PostgreSQL database (issue 12, docs/postgresql.md "Replicas"): each built by
// buildApp with a store of its own (its own pool and LISTEN connection, as two processes have), in this test
// process. A write on A is served by B once B's read model has taken it in (awaited, no sleeps; the delay from
// A's answer is measured and reported, never asserted; also for a replica in a process of its own); two writes with one ETag, one on each replica, give
// exactly one 200 and one 412 and one history entry; B answers /ready 503 while the server is down and 200
// after it started again, and follows A's writes again (its listener reconnected). Connection errors on the
// request path (refused, a backend ended by the server, the pool's wait for a connection) are 503
// `database-unavailable` problems, never 500s.
//
// The server is stopped and started, so this test runs a throwaway cluster of its own
// (scripts/postgres-test-cluster.sh start/pause/resume/stop), never the shared one of TEST_DATABASE_URL that
// other test files use at the same time. Skipped, like every PostgreSQL test, without TEST_DATABASE_URL.
// Engines: PostgreSQL only, on a cluster of its own (so scripts/test-postgresql.mjs does not run it again).
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import t, { type Test } from 'tap';
import { buildApp } from '../../src/app.js';
import { createToken } from '../../src/auth/tokens.js';
import { openPostgres } from '../../src/db/postgres/client.js';
import { withStoreErrors } from '../../src/db/postgres/errors.js';
import { PostgresResourceStore } from '../../src/db/postgres/resource-store.js';
import { StoreUnavailable } from '../../src/db/store.js';
import { FeedReadModel } from '../../src/read-model/feed-model.js';
import type { ResourceInput } from '../../src/resources/schemas.js';
import { type Body, request, testConfig } from '../helpers/app.js';
import { resourceInput } from '../helpers/fixtures.js';
import { skipWithoutPostgres, templateName } from '../helpers/postgres.js';
import { root, startServer } from '../helpers/process.js';

/** Runs scripts/postgres-test-cluster.sh with these arguments; its stdout, or a failure with its stderr. */
function clusterScript(args: string[], limitMs = 180_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['scripts/postgres-test-cluster.sh', ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`postgres-test-cluster.sh ${args.join(' ')} exited ${code}:\n${stderr}`));
    });
  });
}

interface Cluster {
  /** A database of its own on the cluster, with PostGIS (copied from the cluster's template). */
  url: string;
  /** Stops the server (sessions ended with 57P01), keeping its data. */
  pause(): Promise<void>;
  /** Starts it again on the same port. */
  resume(): Promise<void>;
}

async function ownCluster(t: Test): Promise<Cluster> {
  const exports = await clusterScript(['start']);
  const value = (name: string) => {
    const found = new RegExp(`export ${name}='([^']+)'`).exec(exports)?.[1];
    if (!found) throw new Error(`the cluster script printed no ${name}`);
    return found;
  };
  const dir = value('POSTGRES_TEST_CLUSTER');
  t.teardown(() => clusterScript(['stop', dir]));
  const admin = new pg.Client({ connectionString: value('TEST_DATABASE_URL') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE replicas TEMPLATE ${templateName}`);
  } finally {
    await admin.end();
  }
  const url = new URL(value('TEST_DATABASE_URL'));
  url.pathname = '/replicas';
  return {
    url: url.toString(),
    pause: async () => void (await clusterScript(['pause', dir])),
    resume: async () => void (await clusterScript(['resume', dir])),
  };
}

/** Rejects after `ms`: a hang guard for awaiting a replica, never a measure of speed. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: not within ${ms / 1000} s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Asks `check` until it says yes: at most `tries` times, 50 ms apart, and for at most `ms`. */
async function until(check: () => Promise<boolean>, what: string, tries = 400, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (let i = 0; i < tries && Date.now() < deadline; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what}: not after ${tries} tries or ${ms / 1000} s`);
}

function feedModel(app: FastifyInstance): FeedReadModel {
  if (!(app.readModel instanceof FeedReadModel)) throw new Error('a PostgreSQL app follows the change feed');
  return app.readModel;
}

/** The dataset version a replica's read model serves. */
const servedVersion = (app: FastifyInstance) => feedModel(app).current().version;

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

function summary(values: number[]): string {
  const sorted = [...values].sort((x, y) => x - y);
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  return `min ${ms(sorted[0] ?? Number.NaN)}, median ${ms(quantile(sorted, 0.5))}, max ${ms(sorted.at(-1) ?? Number.NaN)}`;
}

function isProblem(t: Test, response: LightMyRequestResponse, body: Body, status: number, what: string) {
  t.equal(response.statusCode, status, `${what}: ${status}`);
  t.match(response.headers['content-type'], /^application\/problem\+json/, `${what}: problem+json`);
  if (status === 503) t.equal(body.code, 'database-unavailable', `${what}: database-unavailable`);
}

/** Holds the dataset version's row lock in a session of its own: every writer waits at `lockWrites`. */
async function holdWriters(url: string): Promise<{ waiting(): Promise<number[]>; release(): Promise<void> }> {
  const session = new pg.Client({ connectionString: url });
  await session.connect();
  await session.query('BEGIN');
  await session.query('SELECT version FROM dataset_version WHERE id = 1 FOR UPDATE');
  return {
    // The backends of this database waiting for a lock: the writers queued behind this session.
    waiting: async () =>
      (
        await session.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
        )
      ).rows.map((row) => row.pid),
    release: async () => {
      await session.query('COMMIT');
      await session.end();
    },
  };
}

t.test('two replicas on one PostgreSQL database', { skip: skipWithoutPostgres }, async (t) => {
  const cluster = await ownCluster(t);
  const env = { DATABASE_URL: cluster.url };
  // One after the other, as a deployment runs `db:migrate` first: A migrates and seeds, B finds it done.
  const a = await buildApp(testConfig(t, env));
  t.teardown(() => a.close());
  const b = await buildApp(testConfig(t, env));
  t.teardown(() => b.close());
  const token = await createToken(a.tokens, 'replikor', { kind: 'admin' });
  const bearer = { authorization: `Bearer ${token}` };

  const entry = resourceInput({ name: 'Replikjouren' });
  const id = String(entry.id);
  const put = (app: FastifyInstance, etag: string | undefined, changes: Partial<ResourceInput>) =>
    request(app, {
      method: 'PUT',
      url: `/v1/resources/${entry.id}`,
      headers: { ...bearer, ...(etag === undefined ? {} : { 'if-match': etag }) },
      payload: { ...entry, ...changes },
    });
  const historyCount = async (app: FastifyInstance) =>
    (await request(app, `/v1/resources/${entry.id}/history?limit=1`)).body.totalItems as number;

  const created = await request(a, { method: 'POST', url: '/v1/resources', headers: bearer, payload: entry });
  t.equal(created.response.statusCode, 201, 'created on A');
  let etag = String(created.response.headers.etag);

  await t.test('a write on A is served by B once B took in its notice', async (t) => {
    const fromAnswer: number[] = [];
    const fromRequest: number[] = [];
    const refused: string[] = [];
    const unseen: string[] = [];
    for (let i = 1; i <= 20; i++) {
      const name = `Replikjouren ${i}`;
      const sent = performance.now();
      const written = await put(a, etag, { name });
      const answered = performance.now();
      if (written.response.statusCode !== 200) {
        refused.push(`${i}: ${written.response.statusCode}`);
        break;
      }
      etag = String(written.response.headers.etag);
      // A awaited its own read model before answering, so A's version is this write's.
      await within(feedModel(b).whenAt(servedVersion(a)), 10_000, `B at the version of write ${i}`);
      const served = performance.now();
      fromAnswer.push(served - answered);
      fromRequest.push(served - sent);
      const seen = await request(b, `/v1/resources/${entry.id}`);
      if (seen.response.headers.etag !== etag || seen.body.name !== name) unseen.push(`${i}`);
    }
    t.same(refused, [], 'A took every write');
    t.same(unseen, [], 'B served each write, with its ETag, once it reached its version');
    t.equal(fromAnswer.length, 20, 'twenty writes measured');
    t.comment(
      `visibility on B of a write on A (20 writes, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}): ` +
        `after A's answer ${summary(fromAnswer)}; after A's request ${summary(fromRequest)}`,
    );
  });

  await t.test('a write on A is served by a replica in a process of its own', async (t) => {
    // The same, with C a server process (its own event loop, as in production), asked over HTTP until it
    // serves the write: the delay includes one request's round trip.
    const c = await startServer({ DATABASE_URL: cluster.url });
    t.teardown(() => c.child.kill('SIGKILL'));
    const fromAnswer: number[] = [];
    const unseen: string[] = [];
    for (let i = 1; i <= 20; i++) {
      const written = await put(a, etag, { name: `Processjouren ${i}` });
      const answered = performance.now();
      if (written.response.statusCode !== 200) {
        unseen.push(`${i}: ${written.response.statusCode} on A`);
        break;
      }
      etag = String(written.response.headers.etag);
      let seen = false;
      const deadline = Date.now() + 10_000;
      for (let ask = 0; ask < 5_000 && !seen && Date.now() < deadline; ask++) {
        seen = (await fetch(`${c.url}/v1/resources/${id}`)).headers.get('etag') === etag;
      }
      if (!seen) unseen.push(`${i}`);
      else fromAnswer.push(performance.now() - answered);
    }
    t.same(unseen, [], 'C served every write');
    t.comment(
      `visibility on C (another process) of a write on A (20 writes, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}): after A's answer ${summary(fromAnswer)}`,
    );
  });

  await t.test('one ETag, a write on each replica: exactly one wins', async (t) => {
    // Both writers read and decide against the same version, then wait for the version row: the race the
    // conditional UPDATE settles, not the one If-Match settles alone.
    const before = await historyCount(a);
    const held = await holdWriters(cluster.url);
    let released = false;
    t.teardown(async () => {
      if (!released) await held.release();
    });
    const writes = Promise.all([put(a, etag, { name: 'Vinnaren A' }), put(b, etag, { name: 'Vinnaren B' })]);
    await until(async () => (await held.waiting()).length >= 2, 'both writers waiting for the version row');
    released = true;
    await held.release();
    const [onA, onB] = await writes;
    const statuses = [onA.response.statusCode, onB.response.statusCode].sort();
    t.same(statuses, [200, 412], 'one 200 and one 412');
    const loser = onA.response.statusCode === 412 ? onA : onB;
    t.equal(loser.body.code, 'precondition-failed');
    const winner = onA.response.statusCode === 200 ? onA : onB;
    etag = String(winner.response.headers.etag);
    t.equal(await historyCount(a), before + 1, 'one history entry');
    t.equal(await historyCount(b), before + 1, 'the same on B');
    const version = Math.max(servedVersion(a), servedVersion(b));
    await within(feedModel(a).whenAt(version), 10_000, 'A at the winning version');
    await within(feedModel(b).whenAt(version), 10_000, 'B at the winning version');
    for (const app of [a, b]) {
      const seen = await request(app, `/v1/resources/${entry.id}`);
      t.equal(seen.body.name, winner.body.name, 'both replicas serve the winner');
      t.equal(seen.response.headers.etag, etag);
    }

    // Unforced: the two requests race as they come; still never two winners.
    for (let round = 1; round <= 3; round++) {
      const results = await Promise.all([
        put(a, etag, { name: `Runda ${round} A` }),
        put(b, etag, { name: `Runda ${round} B` }),
      ]);
      t.same(
        results.map((r) => r.response.statusCode).sort(),
        [200, 412],
        `round ${round}: one 200 and one 412`,
      );
      etag = String(results.find((r) => r.response.statusCode === 200)?.response.headers.etag);
    }
    t.equal(await historyCount(b), before + 4, 'one history entry per round');
  });

  await t.test('a backend the server ends under a write: 503, nothing written', async (t) => {
    const before = await historyCount(a);
    const held = await holdWriters(cluster.url);
    let released = false;
    t.teardown(async () => {
      if (!released) await held.release();
    });
    const write = put(b, etag, { name: 'Avbruten' });
    let waiting: number[] = [];
    await until(async () => {
      waiting = await held.waiting();
      return waiting.length >= 1;
    }, 'the write waiting for the version row');
    // As a fast shutdown or an operator does: the server ends the session with 57P01.
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [waiting]);
    await admin.end();
    const { response, body } = await write;
    released = true;
    await held.release();
    isProblem(t, response, body, 503, 'the write whose session was ended');
    t.equal(await historyCount(b), before, 'no history entry');
    t.equal(
      (await request(a, `/v1/resources/${entry.id}`)).response.headers.etag,
      etag,
      'the version stayed',
    );
    const next = await put(b, etag, { name: 'Efter avbrottet' });
    t.equal(next.response.statusCode, 200, 'B writes again at once: the pool dropped the ended connection');
    etag = String(next.response.headers.etag);
  });

  await t.test('B survives a restart of the server', async (t) => {
    t.equal((await request(b, '/ready')).response.statusCode, 200, 'ready before');
    const name = (await request(b, `/v1/resources/${entry.id}`)).body.name as string;
    await cluster.pause();
    let resumed = false;
    t.teardown(async () => {
      if (!resumed) await cluster.resume();
    });

    const ready = await request(b, '/ready');
    isProblem(t, ready.response, ready.body, 503, '/ready while the server is down');
    const health = await request(b, '/health');
    isProblem(t, health.response, health.body, 503, '/health while the server is down');
    const read = await request(b, `/v1/resources/${entry.id}`);
    t.equal(read.response.statusCode, 200, 'public reads are served from the read model meanwhile');
    t.equal(read.body.name, name);
    const history = await request(b, `/v1/resources/${entry.id}/history`);
    isProblem(t, history.response, history.body, 503, 'the history (a staff read of the store)');
    const write = await put(a, etag, { name: 'Under avbrottet' });
    isProblem(t, write.response, write.body, 503, 'a write on A');
    const create = await request(a, {
      method: 'POST',
      url: '/v1/resources',
      headers: bearer,
      payload: resourceInput(),
    });
    isProblem(t, create.response, create.body, 503, 'a create on A');
    for (const url of ['/hsds/services', '/v1/counties']) {
      const answer = await request(b, url);
      isProblem(t, answer.response, answer.body, 503, `${url} (read from the store)`);
    }

    await cluster.resume();
    resumed = true;
    await until(async () => (await request(b, '/ready')).response.statusCode === 200, 'B ready again');
    t.pass('B answers /ready 200 after the restart');
    // Both replicas' listeners are connected again (the backoff is at most 5 s).
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    t.teardown(() => admin.end());
    await until(
      async () =>
        (
          await admin.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND application_name = 'stodkartan-listener'`,
          )
        ).rows[0]?.n === 2,
      'both listeners reconnected',
    );
    t.pass('both replicas LISTEN again');

    const after = await put(a, etag, { name: 'Efter omstarten' });
    t.equal(after.response.statusCode, 200, 'A writes again');
    etag = String(after.response.headers.etag);
    await within(feedModel(b).whenAt(servedVersion(a)), 10_000, 'B at the write after the restart');
    const seen = await request(b, `/v1/resources/${entry.id}`);
    t.equal(seen.body.name, 'Efter omstarten', 'B follows A again');
    t.equal(seen.response.headers.etag, etag);
  });

  await t.test('connection errors reach the store caller as StoreUnavailable', async (t) => {
    // The pool's wait for a connection: its only connection is taken.
    const busy = openPostgres(cluster.url, { max: 1, connectionTimeoutMs: 200 });
    t.teardown(() => busy.close());
    const held = await busy.pool.connect();
    const store = withStoreErrors(new PostgresResourceStore(busy));
    await t.rejects(store.getResource(id), StoreUnavailable, 'pool timeout');
    await t.rejects(store.countResources(), { cause: { message: /timeout exceeded/ } }, 'the cause kept');
    held.release();
    t.ok(await store.getResource(id), 'and answers once a connection is free');

    // Nothing listens on the port.
    const closed = new URL(cluster.url);
    closed.port = '1';
    const refused = openPostgres(closed.toString(), { connectionTimeoutMs: 2_000 });
    t.teardown(() => refused.close());
    await t.rejects(
      withStoreErrors(new PostgresResourceStore(refused)).countResources(),
      StoreUnavailable,
      'refused',
    );

    // Other errors stay what they were.
    await t.rejects(
      store.changeResource(
        id,
        'update',
        () => {
          throw new Error('the decision refuses');
        },
        { tokenName: null, at: new Date() },
      ),
      { message: 'the decision refuses' },
      'a refusal by the decision is not a connection error',
    );
  });
});
