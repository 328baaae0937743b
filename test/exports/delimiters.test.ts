// Both CSVs for Swedish Excel: a `delimiter` choice, `;` by default for a Swedish reader, and either separator
// parsing back to the same rows, lists inside a cell and formula neutralisation included.
import { parse } from 'csv-parse/sync';
import t from 'tap';
import { createToken } from '../../src/auth/tokens.js';
import { buildTestApp, expectProblem, request } from '../helpers/app.js';
import { resourceInput } from '../helpers/fixtures.js';

const app = await buildTestApp(t);
const token = await createToken(app.tokens, 'anna-06', { kind: 'county', county: '06' });

// A name with both separators in it, and one a spreadsheet would run as a formula.
const awkward = ['Jouren; Vaggeryd, Skillingaryd', '=HYPERLINK("http://evil.example";"x")'];
for (const name of awkward) {
  const created = await request(app, {
    method: 'POST',
    url: '/v1/resources',
    headers: { authorization: `Bearer ${token}` },
    payload: resourceInput({
      name,
      languages: ['sv', 'en'],
      serviceArea: { municipalities: ['0665', '0680'] },
      locations: [{ visibility: 'public', municipality: '0665' }],
      cells: [
        { area: 'close-relationship', role: 'subjected', group: 'women' },
        { area: 'close-relationship', role: 'subjected', group: 'men' },
      ],
    }),
  });
  if (created.response.statusCode !== 201) throw new Error(`fixture not stored: ${created.response.body}`);
}

const rowsOf = (body: string, delimiter: ',' | ';'): string[][] => parse(body, { bom: true, delimiter });

t.test('the dataset export: comma by default, semicolon when asked or for Swedish', async (t) => {
  const comma = await app.inject('/v1/export/resources.csv');
  const semicolon = await app.inject('/v1/export/resources.csv?delimiter=semicolon');
  const swedish = await app.inject({
    url: '/v1/export/resources.csv',
    headers: { 'accept-language': 'sv-SE,sv;q=0.9,en;q=0.8' },
  });
  const swedishButComma = await app.inject({
    url: '/v1/export/resources.csv?delimiter=comma',
    headers: { 'accept-language': 'sv' },
  });
  for (const response of [comma, semicolon, swedish, swedishButComma]) {
    t.equal(response.statusCode, 200);
    t.match(response.headers.vary, /Accept-Language/);
  }
  t.ok(comma.body.startsWith('\ufeffid,name,kind,'), 'comma without a preference');
  t.ok(semicolon.body.startsWith('\ufeffid;name;kind;'), 'semicolon when asked');
  t.equal(swedish.body, semicolon.body, 'semicolon for a Swedish reader');
  t.equal(swedishButComma.body, comma.body, 'the parameter wins over the language');
  t.not(comma.headers.etag, semicolon.headers.etag, 'each separator is its own representation');
  t.equal(swedish.headers.etag, semicolon.headers.etag);

  const fromComma = rowsOf(comma.body, ',');
  const fromSemicolon = rowsOf(semicolon.body, ';');
  t.same(fromSemicolon, fromComma, 'both parse back to the same rows');
  t.ok(fromComma.length > 2);
  const header = fromComma[0] as string[];
  const named = (name: string) => fromComma.find((row) => row[header.indexOf('name')] === name);
  const jouren = named(awkward[0] as string);
  t.ok(jouren, 'a name holding both separators stays one cell');
  t.equal(jouren?.[header.indexOf('languages')], 'sv;en', 'a list stays one cell, its members `;`-separated');
  t.equal(jouren?.[header.indexOf('municipalities')], '0665;0680');
  t.ok(named(`'${awkward[1]}`), 'the formula is neutralised in both');
  t.match(semicolon.body, /;"sv;en";/, 'with `;` as separator, a list cell is quoted');
});

t.test('the coverage CSV: semicolon with Swedish labels, comma with English', async (t) => {
  const url = '/v1/coverage?county=06&area=close-relationship&role=subjected&format=csv';
  const swedish = await app.inject(url);
  const english = await app.inject({ url, headers: { 'accept-language': 'en' } });
  t.ok(swedish.body.startsWith('\ufeffVåldsområde;Roll;'), 'Swedish labels, semicolon');
  t.ok(english.body.startsWith('\ufeffArea,Role,'), 'English labels, comma');

  for (const language of ['sv', 'en']) {
    const headers = { 'accept-language': language };
    const comma = await app.inject({ url: `${url}&delimiter=comma`, headers });
    const semicolon = await app.inject({ url: `${url}&delimiter=semicolon`, headers });
    t.equal(comma.statusCode, 200);
    t.equal(semicolon.statusCode, 200);
    const rows = rowsOf(comma.body, ',');
    t.same(rowsOf(semicolon.body, ';'), rows, `${language}: both parse back to the same rows`);
    t.equal(rows.length, 6, `${language}: a heading and the 5 cells asked for`);
    const resources = rows.map((row) => row[8] ?? '').join('\n');
    t.match(resources, /Jouren; Vaggeryd, Skillingaryd; /, `${language}: names listed with "; " in one cell`);
    t.match(resources, /'=HYPERLINK/, `${language}: the formula neutralised`);
    for (const cell of rows.flat()) t.notMatch(cell, /^[=@+\t\r-]/, `no cell starts a formula: ${cell}`);
  }
});

t.test('an unknown delimiter is refused, and a download that is not CSV takes none', async (t) => {
  const problem = await expectProblem(t, app, '/v1/export/resources.csv?delimiter=tab', 400);
  t.match(JSON.stringify(problem.errors), /delimiter/);
  await expectProblem(t, app, '/v1/coverage?county=06&format=csv&delimiter=pipe', 400);
  await expectProblem(t, app, '/v1/export/resources.ndjson?delimiter=comma', 400);
});
