// Builds the real app (the production factory) on a fresh temporary database for one test file.
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Test } from 'tap';
import { type AppOptions, buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
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
  t.teardown(() => app.close());
  return app;
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
