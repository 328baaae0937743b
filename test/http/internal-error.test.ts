// A 5xx never shows internals. The service has no route that fails on purpose, so this test adds two
// through the app factory's `plugins` option (the production app otherwise, logging at `info`): one
// whose database query fails (on the app's database, either engine), one that rejects with an error carrying
// a stack and a secret.

import type { FastifyInstance } from 'fastify';
import t from 'tap';
import { buildTestApp, queryRows, request } from '../helpers/app.js';
import { parseLogLines } from '../helpers/logs.js';

const failingRoutes = async (app: FastifyInstance) => {
  app.get('/test/failing-query', async () =>
    queryRows(app, 'SELECT token_hash FROM api_tokens_that_never_were'),
  );
  app.get('/test/failing-handler', async () => {
    throw new Error('token stk_secret for anna-06 rejected at /work/src/auth/tokens.ts:42');
  });
};

let written = '';
const app = await buildTestApp(
  t,
  { LOG_LEVEL: 'info' },
  {
    logStream: {
      write(line: string) {
        written += line;
      },
    },
    plugins: [failingRoutes],
  },
);

const internals = [
  'api_tokens_that_never_were',
  'SELECT',
  'token_hash',
  'SqliteError',
  'SQLITE',
  // node-postgres's error and the fields it carries: class, SQLSTATE, the server's source file.
  'DatabaseError',
  '42P01',
  'parse_relation',
  'does not exist',
  'stk_secret',
  'anna-06',
  'tokens.ts',
  '/work/',
  'stack',
  '    at ',
  'Error:',
];

for (const url of ['/test/failing-query', '/test/failing-handler']) {
  t.test(`${url}: a 500 as problem+json with a generic detail`, async (t) => {
    written = '';
    const { response, body } = await request(app, url);
    t.equal(response.statusCode, 500);
    t.match(response.headers['content-type'], /^application\/problem\+json/);
    t.same(body, {
      type: 'https://stodkartan.se/problems/internal-error',
      title: 'Internal Server Error',
      status: 500,
      detail: 'The service failed to answer this request. It has been logged.',
      instance: url,
      code: 'internal-error',
    });
    for (const internal of internals) {
      t.notOk(response.body.includes(internal), `the answer holds no ${JSON.stringify(internal)}`);
      for (const [name, value] of Object.entries(response.headers)) {
        if (String(value).includes(internal)) t.fail(`header ${name} holds ${internal}`);
      }
    }
    // The security headers of every other answer.
    t.equal(response.headers['x-content-type-options'], 'nosniff');
    t.match(response.headers['content-security-policy'], /default-src 'self'/);
    t.match(response.headers['strict-transport-security'], /max-age=/);
    t.equal(response.headers['x-frame-options'], 'SAMEORIGIN');

    // "It has been logged": the error, with its stack, is in the log at level error (50) — and only there.
    const failure = parseLogLines(written).find((line) => line.msg === 'request failed');
    t.equal(failure?.level, 50);
    t.match((failure?.err as { stack?: string } | undefined)?.stack, /Error/);
  });
}
