// A query's cost is bounded up front (issue 11, finding 1): more than 8 words in `q`, a radius over 100 km
// together with `q`, or a page deeper than 1000 items is refused with 400 `query-too-costly` naming the
// parameter and the limit, before any work; up to the limits the same queries are answered.
import t from 'tap';
import { buildTestApp, expectProblem, request } from '../helpers/app.js';

const app = await buildTestApp(t, { RATE_LIMIT_READS: '100000' });

const sixteen = Array(16).fill('s').join('%20');
const eight = Array(8).fill('s').join('%20');

t.test('the query from the report is refused, saying the limit', async (t) => {
  const problem = await expectProblem(
    t,
    app,
    `/v1/resources/nearby?lat=57.7&lon=11.97&radiusKm=1000&limit=1&q=${sixteen}`,
    400,
  );
  t.equal(problem.code, 'query-too-costly');
  t.match(problem.detail, /at most 8/);
  t.same(
    problem.errors.map((e: { name: string }) => e.name),
    ['q', 'radiusKm'],
    'both costs are named',
  );
  t.match(problem.errors[0].reason, /has 16 words; at most 8/);
  t.match(problem.errors[1].reason, /at most 100 together with q/);
});

t.test('q: at most 8 words, on every route that takes it', async (t) => {
  for (const url of [`/v1/resources?q=${sixteen}`, `/v1/resources/nearby?lat=57.7&lon=11.97&q=${sixteen}`]) {
    const problem = await expectProblem(t, app, url, 400);
    t.equal(problem.code, 'query-too-costly');
    t.equal(problem.errors[0].name, 'q');
  }
  const search = await expectProblem(
    t,
    app,
    {
      method: 'POST',
      url: '/v1/resources/search',
      payload: { lat: 57.7, lon: 11.97, q: 'a b c d e f g h i' },
    },
    400,
  );
  t.equal(search.code, 'query-too-costly');
  t.same(search.errors, [{ in: 'body', pointer: '/q', reason: 'has 9 words; at most 8 are allowed' }]);
  t.equal((await request(app, `/v1/resources?q=${eight}`)).response.statusCode, 200, '8 words are answered');
});

t.test('radius: at most 100 km with q; up to 1000 without', async (t) => {
  const problem = await expectProblem(
    t,
    app,
    '/v1/resources/nearby?lat=57.7&lon=11.97&radiusKm=101&q=jour',
    400,
  );
  t.equal(problem.code, 'query-too-costly');
  t.same(problem.errors, [{ in: 'query', name: 'radiusKm', reason: 'must be at most 100 together with q' }]);
  for (const url of [
    '/v1/resources/nearby?lat=57.7&lon=11.97&radiusKm=100&q=jour',
    '/v1/resources/nearby?lat=57.7&lon=11.97&radiusKm=1000',
  ]) {
    t.equal((await request(app, url)).response.statusCode, 200, url);
  }
});

t.test('page depth: page × limit at most 1000', async (t) => {
  for (const url of [
    '/v1/resources?limit=100&page=11',
    '/v1/resources?page=51',
    '/v1/resources/nearby?lat=57.7&lon=11.97&radiusKm=1000&limit=100&page=11',
  ]) {
    const problem = await expectProblem(t, app, url, 400);
    t.equal(problem.code, 'query-too-costly', url);
    t.equal(problem.errors[0].name, 'page');
    t.match(problem.errors[0].reason, /page × limit must be at most 1000/);
  }
  const page11 = await expectProblem(t, app, '/v1/resources?limit=100&page=11', 400);
  t.match(page11.errors[0].reason, /at limit 100: page 10/, 'says the deepest page allowed');
  // Within the depth the page is answered, or refused only for being past the last one.
  const deepest = await request(app, '/v1/resources?limit=100&page=10');
  t.ok([200, 400].includes(deepest.response.statusCode));
  if (deepest.response.statusCode === 400) t.equal(deepest.body.code, 'page-out-of-range');
  t.equal((await request(app, '/v1/resources?limit=100&page=1')).response.statusCode, 200);
});
