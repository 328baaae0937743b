import t from 'tap';
import { buildTestApp, expectProblem, request } from '../helpers/app.js';

const app = await buildTestApp(t);

t.test('counties: all 21, paged, with inventories where the seed has them', async (t) => {
  const { response, body } = await request(app, '/v1/counties?limit=100');
  t.equal(response.statusCode, 200);
  t.equal(body.totalItems, 21);
  t.equal(body.items.length, 21);
  const jonkoping = body.items.find((c: { code: string }) => c.code === '06');
  t.equal(jonkoping.name, 'Jönköpings län');
  t.equal(jonkoping.municipalityCount, 13);
  t.type(jonkoping.inventory.completedOn, 'string');
  t.equal(jonkoping.inventory.completeness, 'complete');
  t.same(jonkoping.inventory.notAssessed, [
    { area: 'honour-related', role: 'perpetrator' },
    { area: 'prostitution-trafficking', role: 'perpetrator' },
  ]);
  t.match(jonkoping.inventory.note, /bilaga 2/);
  const vastraGotaland = body.items.find((c: { code: string }) => c.code === '14');
  t.equal(vastraGotaland.inventory.completeness, 'selection', 'the report lists "Urval av stödresurser"');
  t.equal(
    body.items.find((c: { code: string }) => c.code === '01').inventory,
    null,
    'Stockholm is not inventoried',
  );

  const firstPage = await request(app, '/v1/counties');
  t.equal(firstPage.body.limit, 20, 'limit defaults to 20');
  t.equal(firstPage.body.items.length, 20);
  t.equal(firstPage.body.totalPages, 2);
  t.match(firstPage.response.headers.link, /<\/v1\/counties\?page=2>; rel="next"/);
  t.match(firstPage.response.headers.link, /rel="last"/);
  t.notMatch(firstPage.response.headers.link, /rel="prev"/);
});

t.test('one county with its municipalities and subregions', async (t) => {
  const { body } = await request(app, '/v1/counties/14');
  t.equal(body.municipalities.length, 49);
  t.same(body.subregions.map((s: { code: string }) => s.code).sort(), [
    'fyrbodal',
    'goteborgsregionen',
    'sjuharad',
    'skaraborg',
  ]);
  await expectProblem(t, app, '/v1/counties/99', 404);
  const malformed = await expectProblem(t, app, '/v1/counties/6', 400);
  t.equal(malformed.errors[0].name, 'code');
});

t.test('municipalities: 290 in all, filtered by county and subregion', async (t) => {
  const all = await request(app, '/v1/municipalities?limit=100&page=3');
  t.equal(all.body.totalItems, 290);
  t.equal(all.body.totalPages, 3);
  t.equal(all.body.items.length, 90);
  t.equal((await request(app, '/v1/municipalities?county=14')).body.totalItems, 49);
  t.equal((await request(app, '/v1/municipalities?county=06')).body.totalItems, 13);
  t.equal((await request(app, '/v1/municipalities?subregion=skaraborg')).body.totalItems, 15);
  t.equal((await request(app, '/v1/municipalities?county=14&subregion=sjuharad')).body.totalItems, 8);
  t.equal((await request(app, '/v1/municipalities?county=06&subregion=sjuharad')).body.totalItems, 0);

  const unknown = await expectProblem(t, app, '/v1/municipalities?county=99', 400);
  t.match(unknown.detail, /99/);
  t.equal(unknown.errors[0].name, 'county');
  await expectProblem(t, app, '/v1/municipalities?subregion=atlantis', 400);
});

t.test('one municipality with its seat, population and boundary', async (t) => {
  const { body } = await request(app, '/v1/municipalities/1480');
  t.equal(body.name, 'Göteborg');
  t.same(body.county, { code: '14', name: 'Västra Götalands län' });
  t.same(body.subregion, { code: 'goteborgsregionen', name: 'Göteborgsregionen' });
  t.ok(body.population2016 > 500_000);
  t.match(body.boundary.type, /^(Multi)?Polygon$/);
  await expectProblem(t, app, '/v1/municipalities/9999', 404);
  await expectProblem(t, app, '/v1/municipalities/abc', 400);
});

t.test('paging out of range and unknown parameters are 400s that name the parameter', async (t) => {
  for (const [url, name] of [
    ['/v1/municipalities?limit=101', 'limit'],
    ['/v1/municipalities?limit=0', 'limit'],
    ['/v1/municipalities?page=0', 'page'],
    ['/v1/municipalities?page=4&limit=100', 'page'],
    ['/v1/municipalities?page=x', 'page'],
    ['/v1/municipalities?colour=red', 'colour'],
    ['/v1/counties?sort=name', 'sort'],
  ] as const) {
    const problem = await expectProblem(t, app, url, 400);
    t.equal(problem.errors[0].name, name, `${url} names ${name}`);
  }
});

t.test('vocabulary: 4 areas, 2 roles, 5 groups, the kinds, labelled in Swedish and English', async (t) => {
  const { body } = await request(app, '/v1/vocabulary');
  t.equal(body.areas.length, 4);
  t.equal(body.roles.length, 2);
  t.equal(body.groups.length, 5);
  t.ok(body.kinds.length >= 14);
  t.same(
    body.kinds.find((k: { code: string }) => k.code === 'kast').label.sv,
    'KAST – Köpare av sexuella tjänster',
  );
  await expectProblem(t, app, '/v1/vocabulary?x=1', 400);
});

t.test('health and unknown routes', async (t) => {
  const { response, body } = await request(app, '/health');
  t.equal(response.statusCode, 200);
  t.same(body, { status: 'ok' });
  const missing = await expectProblem(t, app, '/v1/nowhere', 404);
  t.equal(missing.code, 'not-found');
});
