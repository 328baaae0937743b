// CORS: the open data can be read from any web page; changes cannot be made from one.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';

const app = await buildTestApp(t);
const origin = 'https://app.example.org';

const preflight = (url: string, method: string, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'OPTIONS',
    url,
    headers: { origin, 'access-control-request-method': method, ...headers },
  });

t.test('reads are open to any origin', async (t) => {
  for (const url of [
    '/v1/resources?county=06',
    '/v1/counties',
    '/v1/export/resources.csv',
    '/v1/dataset',
    '/hsds/services',
    '/openapi.json',
  ]) {
    const response = await app.inject({ url, headers: { origin } });
    t.equal(response.headers['access-control-allow-origin'], '*', `GET ${url}`);
    t.match(response.headers['access-control-expose-headers'], /ETag/);
  }
  const head = await app.inject({ method: 'HEAD', url: '/v1/counties', headers: { origin } });
  t.equal(head.headers['access-control-allow-origin'], '*', 'HEAD');
  const problem = await app.inject({ url: '/v1/resources?county=99', headers: { origin } });
  t.equal(problem.statusCode, 400);
  t.equal(problem.headers['access-control-allow-origin'], '*', 'errors of reads are readable too');
});

t.test('POST /v1/resources/search is a read: allowed, preflight included', async (t) => {
  const search = await app.inject({
    method: 'POST',
    url: '/v1/resources/search',
    headers: { origin },
    payload: { lat: 57.72, lon: 12.94 },
  });
  t.equal(search.statusCode, 200);
  t.equal(search.headers['access-control-allow-origin'], '*');
  const asked = await preflight('/v1/resources/search', 'POST', {
    'access-control-request-headers': 'content-type',
  });
  t.equal(asked.statusCode, 204);
  t.equal(asked.headers['access-control-allow-origin'], '*');
  t.match(asked.headers['access-control-allow-methods'], /POST/);
  t.match(asked.headers['access-control-allow-headers'], /Content-Type/);
  const read = await preflight('/v1/resources', 'GET', { 'access-control-request-headers': 'if-none-match' });
  t.equal(read.statusCode, 204);
  t.equal(read.headers['access-control-allow-methods'], 'GET, HEAD');
});

t.test('writes are not: no Access-Control-Allow-Origin, and their preflight is refused', async (t) => {
  const writes: [string, string][] = [
    ['POST', '/v1/resources'],
    ['PUT', '/v1/resources/86bb7b80-f0ab-4f2d-b758-0647cc3f2e14'],
    ['DELETE', '/v1/resources/86bb7b80-f0ab-4f2d-b758-0647cc3f2e14'],
    ['POST', '/v1/resources/86bb7b80-f0ab-4f2d-b758-0647cc3f2e14/verify'],
  ];
  for (const [method, url] of writes) {
    const asked = await preflight(url, method, { 'access-control-request-headers': 'authorization' });
    t.not(asked.statusCode, 204, `${method} ${url}: preflight not allowed`);
    t.notOk(asked.headers['access-control-allow-origin']);
    t.notOk(asked.headers['access-control-allow-methods']);
    const actual = await app.inject({ method: method as 'POST', url, headers: { origin }, payload: {} });
    t.notOk(actual.headers['access-control-allow-origin'], `${method} ${url}: no ACAO on the answer`);
  }
});
