// Every 4xx/5xx is application/problem+json with the security headers, the framework's own refusals
// included (issue 11, finding 8): a URL fastify cannot decode (400) or whose path parameter is too long
// (414), headers or a request line over Node's 16 kB (431) and a request that is not HTTP (400), both made
// by Node's parser before fastify sees a request; body errors (bad JSON, wrong media type, too large).
// And CORS preflights are rate limited like any other request.
import { connect } from 'node:net';
import t, { type Test } from 'tap';
import { buildTestApp } from '../helpers/app.js';

type Headers = Record<string, string | string[] | number | undefined>;

function expectSecureProblem(
  t: Test,
  what: string,
  status: number,
  headers: Headers,
  body: string,
  code: string,
) {
  t.match(String(headers['content-type']), /^application\/problem\+json/, `${what}: problem+json`);
  t.equal(headers['x-content-type-options'], 'nosniff', `${what}: X-Content-Type-Options`);
  t.match(String(headers['content-security-policy']), /default-src 'self'/, `${what}: CSP`);
  t.ok(headers['strict-transport-security'], `${what}: HSTS`);
  t.equal(headers['x-frame-options'], 'SAMEORIGIN', `${what}: X-Frame-Options`);
  const problem = JSON.parse(body);
  t.equal(problem.status, status, `${what}: status in the body`);
  t.equal(problem.code, code, `${what}: code`);
  t.type(problem.title, 'string');
  t.type(problem.detail, 'string');
  return problem;
}

t.test('refusals fastify makes before any hook', async (t) => {
  const app = await buildTestApp(t);
  const badUrl = await app.inject('/v1/resources/%ff');
  t.equal(badUrl.statusCode, 400);
  expectSecureProblem(t, 'bad percent-encoding', 400, badUrl.headers, badUrl.body, 'bad-url');

  const long = await app.inject(`/v1/resources/${'a'.repeat(5000)}`);
  t.equal(long.statusCode, 414);
  const problem = expectSecureProblem(
    t,
    'path parameter too long',
    414,
    long.headers,
    long.body,
    'uri-too-long',
  );
  t.notOk(
    'instance' in problem && String(problem.instance).length > 2048,
    'the path is not echoed back whole',
  );

  const unknown = await app.inject('/v1/nothing-here');
  t.equal(unknown.statusCode, 404);
  expectSecureProblem(t, 'no route', 404, unknown.headers, unknown.body, 'not-found');
});

t.test('body errors', async (t) => {
  const app = await buildTestApp(t, { BODY_LIMIT: '1024' });
  const post = (payload: string, contentType: string) =>
    app.inject({
      method: 'POST',
      url: '/v1/resources/search',
      payload,
      headers: { 'content-type': contentType },
    });
  const cases = [
    ['malformed JSON', await post('{"lat": 57.7,', 'application/json'), 400, 'malformed-json'],
    ['an empty JSON body', await post('', 'application/json'), 400, 'bad-request'],
    [
      'a media type it does not take',
      await post('<lat>57.7</lat>', 'application/xml'),
      415,
      'unsupported-media-type',
    ],
    [
      'a body over the limit',
      await post(JSON.stringify({ q: 'x'.repeat(2000) }), 'application/json'),
      413,
      'content-too-large',
    ],
  ] as const;
  for (const [what, response, status, code] of cases) {
    t.equal(response.statusCode, status, what);
    expectSecureProblem(t, what, status, response.headers, response.body, code);
  }
});

/** Sends raw bytes on a new connection and returns the status, headers and body that came back. */
function raw(port: number, bytes: string) {
  return new Promise<{ status: number; headers: Headers; body: string }>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      received += chunk;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const [head = '', body = ''] = received.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Headers = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1]);
      if (!status) reject(new Error(`no HTTP answer: ${JSON.stringify(received.slice(0, 200))}`));
      else resolve({ status, headers, body });
    });
    socket.write(bytes);
  });
}

t.test("refusals Node's HTTP parser makes before fastify, over a real connection", async (t) => {
  const app = await buildTestApp(t);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };

  const longPath = await raw(port, `GET /v1/resources/${'a'.repeat(70_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
  t.equal(longPath.status, 431, 'a 70 kB path: 431 from Node (its header limit counts the request line)');
  expectSecureProblem(t, '70 kB path', 431, longPath.headers, longPath.body, 'headers-too-large');

  const bigHeader = await raw(
    port,
    `GET /health HTTP/1.1\r\nHost: x\r\nX-Filler: ${'b'.repeat(20_000)}\r\n\r\n`,
  );
  expectSecureProblem(t, '20 kB header', 431, bigHeader.headers, bigHeader.body, 'headers-too-large');

  const garbage = await raw(port, 'HELLO /v1/resources HTTP/1.1\r\nHost: x\r\n\r\n');
  expectSecureProblem(t, 'not HTTP', 400, garbage.headers, garbage.body, 'malformed-request');

  const badUrl = await raw(port, 'GET /v1/resources/%ff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  expectSecureProblem(t, 'bad percent-encoding over HTTP', 400, badUrl.headers, badUrl.body, 'bad-url');
});

t.test('CORS preflights are rate limited', async (t) => {
  const app = await buildTestApp(t, { RATE_LIMIT_READS: '3' });
  const preflight = () =>
    app.inject({
      method: 'OPTIONS',
      url: '/v1/resources',
      headers: { origin: 'https://map.example', 'access-control-request-method': 'GET' },
    });
  for (let i = 0; i < 3; i++) t.equal((await preflight()).statusCode, 204, `preflight ${i + 1} is answered`);
  const limited = await preflight();
  t.equal(limited.statusCode, 429, 'the fourth in the minute is refused');
  expectSecureProblem(t, 'rate-limited preflight', 429, limited.headers, limited.body, 'too-many-requests');
  t.ok(Number(limited.headers['retry-after']) > 0, 'with Retry-After');
});
