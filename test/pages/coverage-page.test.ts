// The coverage page at /coverage and the boundaries it draws, without a browser: the files are served with
// the right types and a strict policy, name no other host, and the page uses only operations of the public
// API. The browser test is test/e2e/coverage-page.e2e.ts (`npm run test:e2e`).
import t from 'tap';
import { coverageStatuses } from '../../src/coverage/compute.js';
import { CoverageSummarySchema } from '../../src/coverage/schemas.js';
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
    '/v1/coverage/changes',
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
    '/v1/coverage/changes',
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

/**
 * A top-level `const name = {…};` literal of the page script, evaluated: the script itself cannot be
 * imported outside a browser, but its words and symbols are plain data and functions.
 */
function literal(script: string, name: string): Body {
  const start = script.indexOf(`const ${name} = `);
  if (start < 0) throw new Error(`the script has no const ${name}`);
  const end = script.indexOf('\n};\n', start);
  const source = script.slice(start + `const ${name} = `.length, end + 2);
  return new Function(`return (${source});`)();
}

t.test(
  'every status the API can send has a label, a symbol and a meaning, in Swedish and English',
  async (t) => {
    const script = (await app.inject('/coverage/coverage.js')).body;
    const texts = literal(script, 'texts');
    const symbols = literal(script, 'statusSymbols');
    const summaryKeys = literal(script, 'summaryKeys');
    t.same(Object.keys(symbols).sort(), [...coverageStatuses].sort(), 'a symbol for each status, no other');
    t.equal(new Set(Object.values(symbols)).size, coverageStatuses.length, 'no two statuses share a symbol');
    t.same(
      Object.values(summaryKeys).sort(),
      Object.keys(CoverageSummarySchema.properties).sort(),
      "the legend counts from the summary's members, every one",
    );
    for (const lang of ['sv', 'en']) {
      for (const map of ['status', 'statusShort', 'statusMeaning']) {
        t.same(
          Object.keys(texts[lang][map]).sort(),
          [...coverageStatuses].sort(),
          `${lang}.${map}: every status`,
        );
        for (const status of coverageStatuses) t.ok(texts[lang][map][status], `${lang}.${map}.${status}`);
      }
      t.same(
        Object.keys(texts[lang].level).sort(),
        ['national-only', 'none', 'not-inventoried', 'not-known', 'regional'],
        `${lang}: a map level for municipalities where support is not known`,
      );
    }
    t.notOk(/['"]unknown['"]/.test(script), "the old status 'unknown' is gone");
  },
);

t.test('what a selection does not know is never worded as missing', async (t) => {
  const script = (await app.inject('/coverage/coverage.js')).body;
  const texts = literal(script, 'texts');
  const missing = { sv: /saknar|saknas/i, en: /\black|missing/i };
  for (const lang of ['sv', 'en'] as const) {
    const words = texts[lang];
    const notKnown = [
      words.status['partly-known'],
      words.status['none-known'],
      words.statusShort['partly-known'],
      words.statusShort['none-known'],
      words.statusMeaning['partly-known'],
      words.statusMeaning['none-known'],
      words.level['not-known'],
      words.partlyKnownTitle('Cell', 'Status', 22, 49, 27, '607 378', words.reasonSelection),
      words.noneKnownTitle('Cell', 'Status', true, words.reasonSelection),
      words.noneKnownTitle('Cell', 'Status', false, words.reasonNotAssessed),
      words.detailPartlyKnown(22, 49, 27, '607 378'),
      words.detailNoneKnown('Västra Götalands län'),
      words.detailSelection,
      words.detailNotAssessed,
      words.reachNotKnown('12,3', '45,6'),
      words.notKnownHeading(27),
      words.noResourcesKnown,
      words.hintSelection,
      words.selection('Källan').join(''),
      words.notAssessed('Rutan'),
    ];
    for (const text of notKnown) t.notMatch(text, missing[lang], `${lang}: "${text}"`);
  }
  t.match(texts.sv.selection('KÄLLAN').join(''), /Källan för länet är ett urval av stödresurser \(KÄLLAN\)/);
  t.match(texts.sv.selection('').join(''), /rutor utan känt stöd är inte kända, inte luckor/);
  t.match(texts.en.selection('').join(''), /selection of support resources.*not known, not gaps/);
  t.match(texts.sv.partlyKnownTitle('C', 'S', 1, 2, 1, '5', ''), /där stöd inte är känt/);
  t.match(texts.en.partlyKnownTitle('C', 'S', 1, 2, 1, '5', ''), /where support is not known/);
  t.equal(texts.sv.afterInventory, 'efter inventeringen');
  t.equal(texts.en.afterInventory, 'after the inventory');
});

t.test('selection statuses look neutral and hatched, never like a gap', async (t) => {
  const css = (await app.inject('/coverage/coverage.css')).body;
  const rule = (selector: string) => {
    const match = new RegExp(`(^|\\n)${selector.replace(/[.[\]()]/g, '\\$&')} \\{([^}]*)\\}`).exec(css);
    return match?.[2] ?? '';
  };
  for (const status of ['partly-known', 'none-known']) {
    const style = rule(`.status-${status}`);
    t.match(style, /repeating-linear-gradient/, `${status} is hatched`);
    t.notMatch(style, /--gap-|--partial-|--national-/, `${status} borrows no finding's colours`);
  }
  t.match(css, /\.cell\.status-partly-known,\n\.cell\.status-none-known,[^{]*\{\s*border-style: dashed;/);
  t.match(rule('.level-not-known'), /fill: url\(#hatch-not-known\)/, 'the map draws "not known" apart');
  t.notMatch(rule('.level-not-known'), /--map-none/, 'not in the red of "no support"');
});

t.test('the page says what its source is next to the matrix', async (t) => {
  const html = (await app.inject('/coverage')).body;
  const inventory = html.indexOf('id="inventory"');
  const legend = html.indexOf('id="legend"');
  const matrix = html.indexOf('id="matrix"');
  t.ok(inventory > 0 && inventory < legend && legend < matrix, 'the source, the legend, then the matrix');
  t.match(html, /<div id="inventory" class="inventory"><\/div>/);

  // What the page is built on: a selection county reports no finding, a complete one does.
  const selection = (await request(app, '/v1/coverage?county=14')).body;
  t.equal(selection.inventory.completeness, 'selection');
  t.same(
    selection.cells.filter((cell: Body) => /^(gap|partial|national-only)$/.test(cell.status)),
    [],
    'Västra Götaland: no gap, partial or national-only cell to colour red',
  );
  t.same([...new Set(selection.cells.map((cell: Body) => cell.status))].sort(), [
    'covered',
    'none-known',
    'partly-known',
  ]);
  const complete = (await request(app, '/v1/coverage?county=06')).body;
  t.equal(complete.inventory.completeness, 'complete');
  t.ok(complete.summary.gap > 0, 'Jönköpings län: gaps the report found');
  t.ok(complete.inventory.notAssessed.length > 0, 'and cells it makes no finding on');
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

t.test('the accessibility statement: Swedish and English pages, the same strict policy', async (t) => {
  for (const [path, lang, other] of [
    ['/tillganglighet', 'sv', '/accessibility'],
    ['/accessibility', 'en', '/tillganglighet'],
  ] as const) {
    const response = await app.inject(path);
    t.equal(response.statusCode, 200, `${path} answers 200`);
    t.match(response.headers['content-type'], /^text\/html; charset=utf-8$/);
    t.match(response.body, `<html lang="${lang}">`);
    t.match(response.body, `href="${other}"`, 'links the other language');
    t.match(response.body, /axe-core 4\.\d+\.\d+/, 'names the tool it was tested with');
    t.notMatch(response.body, /<script|<style|\sstyle=/i, 'no script or inline style');
    const csp = String(response.headers['content-security-policy']);
    t.match(csp, /default-src 'self'/);
    t.match(csp, /script-src 'self'(;|$)/);
  }
  const page = (await app.inject('/coverage')).body;
  t.match(page, /href="\/tillganglighet"/, 'the coverage page links the statement');
});
