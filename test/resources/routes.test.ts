import t from 'tap';
import { buildTestApp, expectProblem, importEntries, request } from '../helpers/app.js';
import { resourceInput } from '../helpers/fixtures.js';

const app = await buildTestApp(t);

type Item = {
  id: string;
  kind: string;
  name: string;
  source: { title: string };
  serviceArea: { national: boolean };
};

async function listAll(query: string): Promise<Item[]> {
  const { body } = await request(app, `/v1/resources?limit=100&${query}`);
  return body.items;
}

t.test("Jönköpings län: the report's kinds, each with its source", async (t) => {
  const items = await listAll('county=06');
  for (const kind of ['barnahus', 'kvinnojour', 'brottsofferjour', 'atv', 'socialtjanst']) {
    t.ok(
      items.some((r) => r.kind === kind),
      `a ${kind}`,
    );
  }
  for (const r of items) t.ok(r.source.title.length > 0, `${r.name} has a source`);
  t.ok(
    items.some((r) => r.serviceArea.national),
    'national lines serve the county too',
  );
  const regional = await listAll('county=06&national=false');
  t.notOk(regional.some((r) => r.serviceArea.national));
  t.equal(regional.length, items.length - items.filter((r) => r.serviceArea.national).length);
});

t.test('Västra Götalands län: Barnahus, KAST, Mikamottagningen, Utväg, resurscentrum heder', async (t) => {
  const items = await listAll('county=14');
  for (const kind of ['barnahus', 'kast', 'mikamottagning', 'utvag', 'resurscentrum-heder']) {
    t.ok(
      items.some((r) => r.kind === kind),
      `a ${kind}`,
    );
  }
  t.equal(items.filter((r) => r.kind === 'barnahus').length, 4, 'one Barnahus per subregion');
  for (const r of items) t.ok(r.source.title.length > 0, `${r.name} has a source`);
});

t.test('filters: municipality, kind (repeatable), status, national', async (t) => {
  const boras = await listAll('municipality=1490&kind=kast');
  t.same(
    boras.map((r) => r.name),
    ['KAST Borås'],
  );
  const both = await listAll('kind=kast&kind=mikamottagning');
  t.ok(both.length >= 4);
  t.ok(both.every((r) => r.kind === 'kast' || r.kind === 'mikamottagning'));

  const active = await listAll('county=14&kind=resurscentrum-heder');
  const planned = await listAll('county=14&kind=resurscentrum-heder&status=planned');
  t.ok(planned.length >= 1, 'the planned resource centres');
  t.notOk(
    active.some((r) => planned.some((p) => p.id === r.id)),
    'planned ones are not listed by default',
  );
  const all = await listAll('county=14&kind=resurscentrum-heder&status=planned&status=active');
  t.equal(all.length, active.length + planned.length);

  const national = await listAll('national=true');
  t.ok(national.length >= 3);
  t.ok(national.every((r) => r.serviceArea.national));
  // A municipality far from both inventoried counties still gets the national lines.
  const kiruna = await listAll('municipality=2584');
  t.same(kiruna.map((r) => r.id).sort(), national.map((r) => r.id).sort());
});

t.test('one resource, by id', async (t) => {
  const [first] = await listAll('kind=kast&municipality=1480');
  const { response, body } = await request(app, `/v1/resources/${first?.id}`);
  t.equal(response.statusCode, 200);
  t.equal(body.name, first?.name);
  t.ok(body.cells.length > 0);
  t.match(body.createdAt, /^\d{4}-\d\d-\d\dT/);
  await expectProblem(t, app, '/v1/resources/00000000-0000-4000-8000-000000000000', 404);
  const malformed = await expectProblem(t, app, '/v1/resources/not-a-uuid', 400);
  t.equal(malformed.errors[0].name, 'id');
});

t.test('bad queries: 400 problem+json naming the parameter and the code', async (t) => {
  const cases: [string, string, RegExp?][] = [
    ['/v1/resources?county=99', 'county', /99/],
    ['/v1/resources?county=6', 'county'],
    ['/v1/resources?municipality=9999', 'municipality', /9999/],
    ['/v1/resources?kind=spaceship', 'kind', /spaceship/],
    ['/v1/resources?status=gone', 'status'],
    ['/v1/resources?national=maybe', 'national'],
    ['/v1/resources?limit=1000', 'limit'],
    ['/v1/resources?page=999', 'page'],
  ];
  for (const [url, name, detail] of cases) {
    const problem = await expectProblem(t, app, url, 400);
    t.equal(problem.errors[0].name, name, `${url} names ${name}`);
    if (detail) t.match(problem.detail, detail);
  }
});

t.test('a confidential location shows its municipality only', async (t) => {
  const entry = resourceInput({
    name: 'Skyddat boende Test',
    locations: [{ visibility: 'confidential', municipality: '1490' }],
  });
  await importEntries(app, [entry], { today: '2026-11-23' });
  const { body } = await request(app, `/v1/resources/${entry.id}`);
  t.same(body.locations, [{ visibility: 'confidential', municipality: '1490' }]);
});
