// Builds the real app (the production factory) on a fresh temporary database for one test file.
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import type { Test } from 'tap';
import { type AppOptions, buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { sqliteDatabase } from '../../src/db/plugin.js';
import { type DatasetReport, parseDataset } from '../../src/resources/dataset.js';
import type { ResourceInput } from '../../src/resources/schemas.js';
import { freshPostgresDatabase } from './postgres.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field in the tests
export type Body = any;

/**
 * The production configuration on a temporary database. Test files run in parallel on shared machines,
 * so the event-loop lag check that sheds load in production is off; protection.test.ts tests it on its own.
 */
export function testConfig(t: Test, env: Record<string, string> = {}): Config {
  const dir = t.testdir({});
  return loadConfig({
    DATABASE_PATH: join(dir, 'stodkartan.db'),
    LOG_LEVEL: 'silent',
    MAX_EVENT_LOOP_DELAY_MS: '0',
    ...env,
  });
}

/**
 * The engine the API tests run on: SQLite, unless STODKARTAN_TEST_ENGINE=postgresql (the second run of
 * `npm test`, scripts/test-postgresql.mjs), where every app gets a fresh PostgreSQL database of its own.
 */
export const testEngine: 'sqlite' | 'postgresql' =
  process.env.STODKARTAN_TEST_ENGINE === 'postgresql' ? 'postgresql' : 'sqlite';

export async function buildTestApp(
  t: Test,
  env: Record<string, string> = {},
  options: AppOptions = {},
): Promise<FastifyInstance> {
  const database: Record<string, string> =
    testEngine === 'postgresql' && env.DATABASE_URL === undefined
      ? { DATABASE_URL: await freshPostgresDatabase(t) }
      : {};
  const app = await buildApp(testConfig(t, { ...database, ...env }), options);
  const url = env.DATABASE_URL ?? database.DATABASE_URL;
  if (url !== undefined) postgresUrls.set(app, url);
  // Teardowns run last registered first: the app and the tests' own connection end before the database goes.
  t.teardown(async () => {
    await app.close();
    await testPools.get(app)?.end();
  });
  return app;
}

const postgresUrls = new WeakMap<FastifyInstance, string>();
const testPools = new WeakMap<FastifyInstance, pg.Pool>();

/**
 * Rows of `sql` run on the app's own database, whichever the engine: for tests that look behind the API (what
 * is stored, never what is shown). Write the SQL both engines understand, with `?` for the parameters;
 * PostgreSQL's counts (`bigint`) come back as strings, so count with `countRows`.
 */
export async function queryRows<T = Record<string, unknown>>(
  app: FastifyInstance,
  sql: string,
  parameters: unknown[] = [],
): Promise<T[]> {
  if (app.store.engine === 'sqlite') {
    const statement = sqliteDatabase(app).sqlite.prepare(sql);
    if (!statement.reader) {
      statement.run(...parameters);
      return [];
    }
    return statement.all(...parameters) as T[];
  }
  let pool = testPools.get(app);
  if (pool === undefined) {
    const url = postgresUrls.get(app);
    if (url === undefined) throw new Error('queryRows: an app on PostgreSQL not built by buildTestApp');
    pool = new pg.Pool({ connectionString: url, max: 1 });
    testPools.set(app, pool);
  }
  let n = 0;
  const result = await pool.query(
    sql.replace(/\?/g, () => `$${++n}`),
    parameters,
  );
  return result.rows as T[];
}

/** How many rows `table` holds (optionally `WHERE where`, with `?` parameters), on either engine. */
export async function countRows(
  app: FastifyInstance,
  table: string,
  where?: string,
  parameters: unknown[] = [],
): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(
    app,
    `SELECT count(*) AS n FROM ${table}${where === undefined ? '' : ` WHERE ${where}`}`,
    parameters,
  );
  return Number(row?.n);
}

/**
 * Imports entries, or `{ inventories, resources }` (the input shape of seed files and `npm run db:import`), as `db:import` does: validated by
 * `parseDataset` for `today`, stored by the store's `importDataset` (one transaction, with history), and
 * served once the app's read model has caught up with it. Throws a dataset's validation errors.
 */
export async function importEntries(
  app: FastifyInstance,
  entries: readonly unknown[] | { inventories?: unknown[]; resources?: unknown[] },
  options: { source?: string; today?: string; at?: Date } = {},
): Promise<DatasetReport> {
  const at = options.at ?? new Date();
  const context = {
    places: app.places,
    vocabulary: app.vocabulary,
    today: options.today ?? at.toISOString().slice(0, 10),
  };
  const dataset = parseDataset(entries, options.source ?? 'test', context);
  const { receipt, ...report } = await app.resources.importDataset(dataset, { tokenName: null, at });
  await app.readModel.caughtUp(receipt);
  return report;
}

/** Injects a request and parses the JSON body. */
export async function request(
  app: FastifyInstance,
  options: InjectOptions | string,
): Promise<{ response: LightMyRequestResponse; body: Body }> {
  const response = await app.inject(options);
  let body: Body;
  try {
    body = response.json();
  } catch {
    body = response.body;
  }
  return { response, body };
}

/** Asserts an RFC 9457 problem with the given status and returns its body. */
export async function expectProblem(
  t: Test,
  app: FastifyInstance,
  options: InjectOptions | string,
  status: number,
): Promise<Body> {
  const { response, body } = await request(app, options);
  const url = typeof options === 'string' ? options : options.url;
  t.equal(response.statusCode, status, `${String(url)} answers ${status}`);
  t.match(response.headers['content-type'], /^application\/problem\+json/, `${String(url)} is problem+json`);
  t.equal(body.status, status);
  t.type(body.type, 'string');
  t.type(body.title, 'string');
  t.type(body.code, 'string');
  return body;
}

/** Creates `entry` through the API (POST /v1/resources) with these headers (a bearer token). */
export function postResource(
  app: FastifyInstance,
  headers: Record<string, string>,
  entry: ResourceInput,
): ReturnType<typeof request> {
  return request(app, { method: 'POST', url: '/v1/resources', headers, payload: entry });
}

/** Makes every location of `entry` confidential through the API, after `etag`: its address withdrawn. */
export function withdrawAddress(
  app: FastifyInstance,
  headers: Record<string, string>,
  entry: ResourceInput,
  etag: string,
): ReturnType<typeof request> {
  return request(app, {
    method: 'PUT',
    url: `/v1/resources/${entry.id}`,
    headers: { ...headers, 'if-match': etag },
    payload: {
      ...entry,
      locations: entry.locations.map((l) => ({ visibility: 'confidential', municipality: l.municipality })),
    },
  });
}
