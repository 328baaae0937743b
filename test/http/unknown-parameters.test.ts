// Unknown query parameters are refused, not ignored (README): a misspelt filter must never widen a
// search silently. Checked on every GET route of the contract, so a new route or a rewritten read path
// cannot drop the rule unnoticed, and on the main lists by name.
import t from 'tap';
import { type Body, buildTestApp, expectProblem, request } from '../helpers/app.js';

const app = await buildTestApp(t, { RATE_LIMIT_READS: '1000000' });
const unknownColour = { in: 'query', name: 'colour', reason: 'unknown query parameter' };

t.test('GET /v1/resources refuses an unknown parameter, alone or beside real filters', async (t) => {
  for (const query of [
    'colour=red',
    'county=06&colour=red',
    'colour=red&limit=5&page=1',
    'q=kast&colour=red',
  ]) {
    const problem = await expectProblem(t, app, `/v1/resources?${query}`, 400);
    t.equal(problem.code, 'validation-failed');
    t.same(problem.errors, [unknownColour], query);
  }
  const misspelt = await expectProblem(t, app, '/v1/resources?County=06', 400);
  t.same(misspelt.errors, [{ in: 'query', name: 'County', reason: 'unknown query parameter' }]);
  const known = await request(app, '/v1/resources?county=06&limit=5');
  t.equal(known.response.statusCode, 200, 'the same query without it answers');
  t.match(known.response.headers['content-type'], /^application\/json/);
  t.equal(known.body.limit, 5);
});

t.test('GET /v1/resources/{id}/history refuses an unknown parameter', async (t) => {
  const { body } = await request(app, '/v1/resources?county=06&limit=1');
  const id = body.items[0].id as string;
  const problem = await expectProblem(t, app, `/v1/resources/${id}/history?colour=red`, 400);
  t.same(problem.errors, [unknownColour]);
  const known = await request(app, `/v1/resources/${id}/history?limit=5`);
  t.equal(known.response.statusCode, 200);
  t.match(known.response.headers['content-type'], /^application\/json/);
  t.type(known.body.items, Array);
});

// The probes take any query string on purpose: an orchestrator may add its own, and a liveness probe that
// answered 400 would restart a healthy server.
const undeclared = new Set(['/health', '/ready']);

t.test('every GET route of the contract refuses an unknown parameter', async (t) => {
  const document = app.swagger() as unknown as {
    paths: Record<string, { get?: { parameters?: { name: string; in: string; required?: boolean }[] } }>;
  };
  const resource = (await request(app, '/v1/resources?county=06&limit=1')).body.items[0].id as string;
  const organization = (await request(app, '/hsds/organizations?per_page=1')).body.contents[0].id as string;
  const service = (await request(app, '/hsds/services?per_page=1')).body.contents[0].id as string;
  const pathValue = (path: string, name: string) => {
    if (name === 'id' && path.startsWith('/hsds/organizations')) return organization;
    if (name === 'id' && path.startsWith('/hsds/services')) return service;
    if (name === 'id') return resource;
    if (name === 'code') return path.includes('counties') ? '06' : '0680';
    return 'x';
  };
  const required: Record<string, string> = { lat: '57.78', lon: '14.16', county: '06' };
  let checked = 0;
  for (const [path, item] of Object.entries(document.paths)) {
    if (!item.get || undeclared.has(path)) continue;
    const url = path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(pathValue(path, name)));
    const query = new URLSearchParams();
    for (const p of item.get.parameters ?? []) {
      if (p.in === 'query' && p.required) query.set(p.name, required[p.name] ?? 'x');
    }
    query.set('colour', 'red');
    const { response, body } = await request(app, `${url}?${query}`);
    t.equal(response.statusCode, 400, `${path} refuses colour=red`);
    t.match(response.headers['content-type'], /^application\/problem\+json/);
    t.ok(
      (body as Body).errors?.some(
        (e: Body) => e.in === 'query' && e.name === 'colour' && e.reason === 'unknown query parameter',
      ),
      `${path} names the parameter`,
    );
    checked += 1;
  }
  t.ok(checked >= 25, `${checked} GET routes checked`);
});
