// The coverage page at /coverage and the boundaries it draws, without a browser: the files are served with
// the right types and a strict policy, name no other host, and the page uses only operations of the public
// API. The browser test is test/e2e/coverage-page.e2e.ts (`npm run test:e2e`).
import t from 'tap';
import { coverageAssets } from '../../src/pages/routes.js';
import { type Body, buildTestApp, expectProblem, request } from '../helpers/app.js';

const app = await buildTestApp(t);

t.test('the page and its assets: 200, content types, this origin only', async (t) => {
  const expected: Record<string, RegExp> = {
    '/coverage': /^text\/html; charset=utf-8$/,
    '/coverage/coverage.js': /^text\/javascript; charset=utf-8$/,
    '/coverage/coverage.css': /^text\/css; charset=utf-8$/,
  };
  t.same(
    coverageAssets.map((asset) => asset.path),
    Object.keys(expected),
  );
  for (const [path, contentType] of Object.entries(expected)) {
    const response = await app.inject(path);
    t.equal(response.statusCode, 200, `${path} answers 200`);
    t.match(response.headers['content-type'], contentType, `${path} content type`);
    t.ok(response.body.length > 500, `${path} has content`);
    // Links to other hosts would be requests the page makes (or invites) outside the service.
    t.notMatch(
      response.body,
      /(https?:)?\/\/(?!www\.w3\.org\/2000\/svg)[a-z0-9.-]+\.[a-z]{2,}/i,
      `${path} names no other host`,
    );
    const csp = String(response.headers['content-security-policy']);
    t.match(csp, /default-src 'self'/, `${path}: CSP`);
    t.match(csp, /script-src 'self'(;|$)/, `${path}: no inline script`);
    t.notMatch(csp, /upgrade-insecure-requests/, `${path}: works on plain http`);
    t.type(response.headers.etag, 'string');

    const again = await app.inject({
      url: path,
      headers: { 'if-none-match': String(response.headers.etag) },
    });
    t.equal(again.statusCode, 304, `${path}: 304 when the copy is current`);
  }
  const head = await app.inject({ method: 'HEAD', url: '/coverage' });
  t.equal(head.statusCode, 200);
  const slash = await app.inject('/coverage/?county=06');
  t.equal(slash.statusCode, 302);
  t.equal(slash.headers.location, '/coverage?county=06');
  t.equal((await app.inject('/coverage/nothing.js')).statusCode, 404);
});

t.test('the HTML loads its script as a module, no inline script or style', async (t) => {
  const html = (await app.inject('/coverage')).body;
  t.match(html, /<html lang="sv">/, 'Swedish by default');
  t.match(html, /<script type="module" src="\/coverage\/coverage\.js"><\/script>/);
  t.match(html, /<link rel="stylesheet" href="\/coverage\/coverage\.css">/);
  t.notMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/, 'every script has a src');
  t.notMatch(html, /<style|\sstyle=|\son[a-z]+=/i, 'no inline style or event handler attribute');
  t.match(html, /href="\/v1\/coverage\?county=14&amp;format=csv"/, 'the CSV link works without the script');
});

t.test('the script uses the public API only, and never asks for what could reveal a shelter', async (t) => {
  const script = (await app.inject('/coverage/coverage.js')).body;
  const paths = new Set([...script.matchAll(/`(\/v1\/[a-z./-]+)/g)].map((match) => match[1]));
  t.same([...paths].sort(), [
    '/v1/coverage',
    '/v1/municipalities',
    '/v1/municipalities/boundaries.geojson',
    '/v1/resources/',
  ]);
  t.match(script, /api\('\/v1\/vocabulary'\)/);
  t.match(script, /api\('\/v1\/counties\?limit=100'\)/);
  t.match(script, /'Accept-Language': state\.lang/, 'sends the chosen language');
  t.match(script, /location\.visibility === 'public'/, 'draws public locations only');
  t.notMatch(
    script,
    /\beval\(|new Function|innerHTML|document\.write/,
    'builds the DOM without parsing strings',
  );
  const { body: document } = await request(app, '/openapi.json');
  const operations = new Set(Object.keys(document.paths));
  for (const path of [
    '/v1/coverage',
    '/v1/municipalities',
    '/v1/municipalities/boundaries.geojson',
    '/v1/vocabulary',
    '/v1/counties',
    '/v1/resources/{id}',
  ]) {
    t.ok(operations.has(path), `${path} is a documented operation`);
  }
  t.notOk(operations.has('/coverage'), 'the page is not an API operation');
});

t.test('boundaries: one Feature per municipality of a county or subregion', async (t) => {
  const { response, body } = await request(app, '/v1/municipalities/boundaries.geojson?county=06');
  t.equal(response.statusCode, 200);
  t.match(response.headers['content-type'], /^application\/geo\+json/);
  t.equal(body.type, 'FeatureCollection');
  t.equal(body.features.length, 13);
  const codes = body.features.map((feature: Body) => feature.properties.code);
  t.same(codes, [...codes].sort(), 'by municipality code');
  const jonkoping = body.features.find((feature: Body) => feature.id === '0680');
  t.same(jonkoping.properties, { code: '0680', name: 'Jönköping', county: '06', subregion: null });
  t.equal(jonkoping.type, 'Feature');
  t.match(jonkoping.geometry.type, /^(Multi)?Polygon$/);
  const single = (await request(app, '/v1/municipalities/0680')).body;
  t.same(jonkoping.geometry, single.boundary, 'the same boundary as GET /v1/municipalities/{code}');

  const skaraborg = (await request(app, '/v1/municipalities/boundaries.geojson?subregion=skaraborg')).body;
  t.equal(skaraborg.features.length, 15);
  t.ok(skaraborg.features.every((feature: Body) => feature.properties.subregion === 'skaraborg'));
  t.ok(skaraborg.features.every((feature: Body) => feature.properties.county === '14'));
  const both = (await request(app, '/v1/municipalities/boundaries.geojson?county=14&subregion=sjuharad'))
    .body;
  t.equal(both.features.length, 8);
  const none = (await request(app, '/v1/municipalities/boundaries.geojson?county=06&subregion=sjuharad'))
    .body;
  t.same(none, { type: 'FeatureCollection', features: [] });
  const all = (await request(app, '/v1/municipalities/boundaries.geojson')).body;
  t.equal(all.features.length, 290, 'without a filter, every municipality');
});

t.test('boundaries: bad input is a 400 problem', async (t) => {
  const unknown = await expectProblem(t, app, '/v1/municipalities/boundaries.geojson?county=99', 400);
  t.equal(unknown.code, 'unknown-code');
  t.same(unknown.errors, [{ in: 'query', name: 'county', reason: "no county has the code '99'" }]);
  const subregion = await expectProblem(
    t,
    app,
    '/v1/municipalities/boundaries.geojson?subregion=atlantis',
    400,
  );
  t.equal(subregion.code, 'unknown-code');
  const extra = await expectProblem(
    t,
    app,
    '/v1/municipalities/boundaries.geojson?county=06&format=kml',
    400,
  );
  t.equal(extra.code, 'validation-failed');
  t.same(extra.errors, [{ in: 'query', name: 'format', reason: 'unknown query parameter' }]);
  await expectProblem(t, app, '/v1/municipalities/boundaries.geojson?county=6', 400);
});

t.test('boundaries.geojson is not taken for a municipality code, nor the reverse', async (t) => {
  const municipality = await request(app, '/v1/municipalities/0680');
  t.equal(municipality.response.statusCode, 200);
  t.equal(municipality.body.name, 'Jönköping');
  const malformed = await expectProblem(t, app, '/v1/municipalities/boundaries.json', 400);
  t.equal(malformed.errors[0].name, 'code', 'another file name is a malformed code, as before');
  await expectProblem(t, app, '/v1/municipalities/9999', 404);
});
