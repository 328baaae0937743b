// Search for apps: every filter, full text, nearby, lookup and bad input, on the real app.

import t from 'tap';
import type { ResourceInput } from '../../src/resources/schemas.js';
import { type Body, buildTestApp, expectProblem, importEntries, request } from '../helpers/app.js';
import { resourceInput } from '../helpers/fixtures.js';

const app = await buildTestApp(t);

function store(...entries: ResourceInput[]) {
  return importEntries(app, entries, { today: '2026-11-23' });
}

const malmo = resourceInput({
  name: 'Kvinnojouren i Malmö',
  description: { sv: 'Stödsamtal och skyddat boende för kvinnor utsatta för våld.' },
  serviceArea: { municipalities: ['1280'] },
  locations: [{ visibility: 'confidential', municipality: '1280' }],
  languages: ['sv', 'ar', 'so'],
  anonymous: true,
  withoutReferral: true,
  open24h: true,
  audiences: ['individuals', 'professionals'],
  cells: [
    { area: 'close-relationship', role: 'subjected', group: 'women' },
    { area: 'honour-related', role: 'subjected', group: 'girls' },
  ],
});
const lund = resourceInput({
  name: 'Konsultationsteam Lund',
  kind: 'kompetenscentrum',
  description: { sv: 'Konsultation till yrkesverksamma om våld och malmöfrågor.' },
  audiences: ['professionals'],
  serviceArea: { municipalities: ['1281'] },
  locations: [{ visibility: 'public', municipality: '1281', lat: 55.7047, lon: 13.191 }],
  languages: ['sv'],
  anonymous: false,
  cells: [{ area: 'close-relationship', role: 'perpetrator', group: 'men' }],
});
await store(malmo, lund);

async function names(query: string): Promise<string[]> {
  const { response, body } = await request(app, `/v1/resources?limit=100&${query}`);
  if (response.statusCode !== 200) throw new Error(`${query}: ${response.body}`);
  return body.items.map((r: { name: string }) => r.name);
}

t.test('each filter narrows the list, and filters combine with AND', async (t) => {
  t.same(await names('municipality=1280&national=false'), ['Kvinnojouren i Malmö']);
  t.same(await names('county=12&national=false'), ['Konsultationsteam Lund', 'Kvinnojouren i Malmö']);
  t.ok((await names('subregion=skaraborg&national=false')).includes('Utväg Skaraborg'));
  t.notOk((await names('subregion=skaraborg&national=false')).includes('Utväg Södra Älvsborg'));
  t.same(await names('county=12&audience=professionals&national=false'), [
    'Konsultationsteam Lund',
    'Kvinnojouren i Malmö',
  ]);
  t.same(await names('county=12&audience=individuals&national=false'), ['Kvinnojouren i Malmö']);
  t.same(await names('county=12&language=ar'), ['Kvinnojouren i Malmö']);
  t.same(await names('county=12&anonymous=false'), ['Konsultationsteam Lund']);
  t.same(await names('county=12&withoutReferral=true&national=false'), ['Kvinnojouren i Malmö']);
  t.ok((await names('open24h=true')).includes('Kvinnofridslinjen'));
  t.notOk((await names('open24h=true')).includes('Konsultationsteam Lund'));
  t.same(await names('county=12&kind=kvinnojour'), ['Kvinnojouren i Malmö']);
  t.same(await names('county=12&kind=kvinnojour&kind=kompetenscentrum'), [
    'Konsultationsteam Lund',
    'Kvinnojouren i Malmö',
  ]);
  t.same(await names('county=12&status=planned'), [], 'status defaults to active, and filters');
});

t.test('cell filters: any of area, role and group may be left out', async (t) => {
  const perpetratorMen = await names('county=12&role=perpetrator&group=men&national=false');
  t.same(perpetratorMen, ['Konsultationsteam Lund']);
  t.same(await names('county=12&area=honour-related&national=false'), ['Kvinnojouren i Malmö']);
  t.same(await names('county=12&group=girls&national=false'), ['Kvinnojouren i Malmö']);
  t.same(
    await names('county=12&area=honour-related&group=women&national=false'),
    [],
    'the cell must match as a whole',
  );
  const buyers = await names('county=14&area=prostitution-trafficking&role=perpetrator&national=false');
  t.same(buyers, ['KAST Borås', 'KAST Göteborg']);
});

t.test('full text folds case and diacritics, and ranks name matches first', async (t) => {
  t.ok((await names('q=vald')).length > 5, 'vald finds våld');
  const malmoHits = await names('q=malmo');
  t.same(
    malmoHits,
    ['Kvinnojouren i Malmö', 'Konsultationsteam Lund'],
    'the name match ranks above the description',
  );
  t.same(await names('q=KVINNOJOUREN%20MALM%C3%96'), ['Kvinnojouren i Malmö']);
  t.same(await names('q=malmo&county=14'), [], 'combined with the other filters');
  t.ok((await names('q=kast&kind=kast')).length >= 2, 'prefix and kind');
});

t.test('search syntax in q (quotes, operators, wildcards) is plain text, never a 500', async (t) => {
  for (const q of [
    '"',
    '"våld',
    'våld"',
    '*',
    'våld*',
    'NEAR(våld kvinnor)',
    '(våld',
    'våld)',
    'a AND OR NOT b',
    '^x',
    'kast:x',
    "'; DROP TABLE resources; --",
  ]) {
    const { response } = await request(app, `/v1/resources?q=${encodeURIComponent(q)}`);
    t.ok(response.statusCode === 200 || response.statusCode === 400, `q=${q} answers ${response.statusCode}`);
  }
  t.ok((await names(`q=${encodeURIComponent('"våld"')}`)).length > 0, 'quoted words still search');
  const symbols = await expectProblem(t, app, `/v1/resources?q=${encodeURIComponent('*()"')}`, 400);
  t.equal(symbols.errors[0].name, 'q');
  await expectProblem(t, app, '/v1/resources?q=', 400);
  await expectProblem(t, app, `/v1/resources?q=${'a'.repeat(500)}`, 400);
});

t.test('unknown codes are 400s that name the code, not empty lists', async (t) => {
  for (const [query, name, code] of [
    ['county=99', 'county', '99'],
    ['subregion=atlantis', 'subregion', 'atlantis'],
    ['municipality=0000', 'municipality', '0000'],
    ['kind=spaceship', 'kind', 'spaceship'],
    ['area=war', 'area', 'war'],
    ['role=bystander', 'role', 'bystander'],
    ['group=cats', 'group', 'cats'],
    ['language=xx', 'language', 'xx'],
  ]) {
    for (const path of ['/v1/resources', '/v1/resources/nearby']) {
      const url = `${path}?${path.endsWith('nearby') ? 'lat=57.7&lon=12.9&' : ''}${query}`;
      const problem = await expectProblem(t, app, url, 400);
      t.equal(problem.errors[0].name, name, `${url} names ${name}`);
      t.match(problem.detail, code as string);
    }
  }
  for (const query of [
    'audience=cats',
    'anonymous=perhaps',
    'open24h=2',
    'status=gone',
    'kind=NOT%20A%20CODE',
  ]) {
    await expectProblem(t, app, `/v1/resources?${query}`, 400);
  }
});

t.test('nearby: buyers of sex in Borås find KAST Borås serving the location', async (t) => {
  const { body } = await request(
    app,
    '/v1/resources/nearby?lat=57.721&lon=12.940&area=prostitution-trafficking&role=perpetrator',
  );
  t.same(body.municipality, {
    code: '1490',
    name: 'Borås',
    county: { code: '14', name: 'Västra Götalands län' },
  });
  const [first] = body.items;
  t.equal(first.name, 'KAST Borås');
  t.equal(first.servesLocation, true);
  t.type(first.distanceKm, 'number');
  t.ok(
    body.items.every((r: Body) => !r.serviceArea.national),
    'no national line among the distances',
  );
  t.same(body.helplines, [], 'no national line serves people who buy sex');
  const perpetrators = await request(
    app,
    '/v1/resources/nearby?lat=57.721&lon=12.940&area=close-relationship&role=perpetrator&group=men',
  );
  t.ok(
    perpetrators.body.helplines.some((h: Body) => h.name === 'Välj att sluta'),
    'the national line comes apart',
  );
  t.notOk(perpetrators.body.items.some((r: Body) => r.serviceArea.national));
  t.ok(body.helplines.every((h: Body) => h.serviceArea.national));
});

t.test(
  'nearby: serving resources first, each group by distance; confidential distances approximate',
  async (t) => {
    const { body } = await request(app, '/v1/resources/nearby?lat=55.605&lon=13.0038&radiusKm=100&limit=100');
    t.equal(body.municipality.code, '1280');
    const first = body.items[0];
    t.equal(first.name, 'Kvinnojouren i Malmö');
    t.equal(first.servesLocation, true);
    t.equal(first.distanceApproximate, true, 'measured from the seat: its location is confidential');
    t.same(first.locations, [{ visibility: 'confidential', municipality: '1280' }]);
    const lundItem = body.items.find((r: Body) => r.name === 'Konsultationsteam Lund');
    t.equal(lundItem.servesLocation, false);
    t.equal(lundItem.distanceApproximate, false);
    t.ok(
      lundItem.distanceKm > 10 && lundItem.distanceKm < 25,
      `Lund is ${lundItem.distanceKm} km from Malmö`,
    );
    let seenOther = false;
    let last = -1;
    for (const item of body.items) {
      if (!item.servesLocation) {
        if (!seenOther) last = -1;
        seenOther = true;
      } else t.notOk(seenOther, 'no serving item after a non-serving one');
      if (item.distanceKm !== null) {
        t.ok(item.distanceKm >= last, 'by distance within the group');
        last = item.distanceKm;
      }
    }
    const far = await request(app, '/v1/resources/nearby?lat=55.605&lon=13.0038&radiusKm=5&national=false');
    t.same(
      far.body.items.map((r: Body) => r.name),
      ['Kvinnojouren i Malmö'],
      'Lund is outside 5 km; the serving resource stays',
    );
    t.same(far.body.helplines, [], 'national=false leaves out helplines');
  },
);

t.test('nearby outside Sweden: municipality null, ranked by distance alone', async (t) => {
  const { body } = await request(app, '/v1/resources/nearby?lat=55.6761&lon=12.5683&radiusKm=60');
  t.equal(body.municipality, null);
  t.ok(body.items.length > 0, 'Copenhagen is within 60 km of Malmö and Lund');
  t.ok(body.items.every((r: Body) => r.servesLocation === false));
  const distances = body.items.map((r: Body) => r.distanceKm);
  t.same(
    distances,
    [...distances].sort((a, b) => a - b),
  );
});

t.test('POST /v1/resources/search answers as nearby does, the position in the body', async (t) => {
  const query = await request(app, '/v1/resources/nearby?lat=57.721&lon=12.94&kind=kast');
  const body = await request(app, {
    method: 'POST',
    url: '/v1/resources/search',
    payload: { lat: 57.721, lon: 12.94, kind: ['kast'] },
  });
  t.equal(body.response.statusCode, 200);
  t.same(body.body, query.body);
  const problem = await expectProblem(
    t,
    app,
    { method: 'POST', url: '/v1/resources/search', payload: { lon: 12 } },
    400,
  );
  t.equal(problem.errors[0].pointer, '/lat');
  const unknown = await expectProblem(
    t,
    app,
    { method: 'POST', url: '/v1/resources/search', payload: { lat: 57, lon: 12, county: '99' } },
    400,
  );
  t.equal(unknown.errors[0].pointer, '/county');
  await expectProblem(
    t,
    app,
    {
      method: 'POST',
      url: '/v1/resources/search',
      payload: '{"lat": 57,',
      headers: { 'content-type': 'application/json' },
    },
    400,
  );
});

t.test('bad positions and radii are 400s naming the parameter', async (t) => {
  for (const [query, name] of [
    ['lat=91&lon=12', 'lat'],
    ['lat=-90.5&lon=12', 'lat'],
    ['lat=57&lon=181', 'lon'],
    ['lat=57&lon=-180.1', 'lon'],
    ['lat=abc&lon=12', 'lat'],
    ['lat=NaN&lon=12', 'lat'],
    ['lat=57&lon=Infinity', 'lon'],
    ['lat=57', 'lon'],
    ['lat=57&lon=12&radiusKm=1001', 'radiusKm'],
    ['lat=57&lon=12&radiusKm=0', 'radiusKm'],
    ['lat=57&lon=12&radiusKm=-5', 'radiusKm'],
  ]) {
    const problem = await expectProblem(t, app, `/v1/resources/nearby?${query}`, 400);
    t.equal(problem.errors[0].name, name, `${query} names ${name}`);
  }
});

t.test('places lookup at known points', async (t) => {
  const at = async (lat: number, lon: number) =>
    (await request(app, `/v1/places/lookup?lat=${lat}&lon=${lon}`)).body;
  t.equal((await at(57.7089, 11.9746)).municipality.code, '1480', 'Göteborg city');
  const boras = await at(57.721, 12.9401);
  t.equal(boras.municipality.code, '1490', 'Borås');
  t.same(boras.county, { code: '14', name: 'Västra Götalands län' });
  t.same(boras.subregion, { code: 'sjuharad', name: 'Sjuhärad' });
  t.equal((await at(57.7826, 14.1618)).municipality.code, '0680', 'Jönköping');
  t.equal((await at(57.5, 11.2)).municipality, null, 'the sea off Göteborg');
  t.same(await at(59.9139, 10.7522), { municipality: null, county: null, subregion: null }, 'Oslo');
  await expectProblem(t, app, '/v1/places/lookup?lat=100&lon=10', 400);
  await expectProblem(t, app, '/v1/places/lookup?lat=57', 400);
});
