// GET /v1/coverage/changes: coverage between two dates. Jönköping: retiring the county's only Barnahus as of
// a date turns its girls' and boys' cells from covered to national-only or gap, and the change names it;
// the same in CSV (Swedish and English, each separator, formulas neutralised); bad input is a 400.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import t from 'tap';
import { createToken } from '../../src/auth/tokens.js';
import { type CellStanding, directionOf } from '../../src/coverage/changes.js';
import { coverageStatuses } from '../../src/coverage/compute.js';
import { toInput } from '../../src/resources/changes.js';
import { curatedDatasetDir } from '../../src/resources/dataset.js';
import { type Body, buildTestApp, expectProblem, importEntries, request } from '../helpers/app.js';
import { resourceInput } from '../helpers/fixtures.js';

const app = await buildTestApp(t);
const bearer = { authorization: `Bearer ${await createToken(app.tokens, 'admin', { kind: 'admin' })}` };
const period = 'from=2026-01-01&to=2026-11-30';
const url = `/v1/coverage/changes?county=06&${period}`;

const barnahus = (
  await request(app, '/v1/resources?county=06&kind=barnahus&national=false&status=active&status=closed')
).body.items;

t.test('nothing changed between the dates: no cells', async (t) => {
  t.equal(barnahus.length, 1, 'Jönköpings län has one Barnahus');
  const { response, body } = await request(app, url);
  t.equal(response.statusCode, 200);
  t.match(body, {
    place: { type: 'county', code: '06' },
    from: '2026-01-01',
    to: '2026-11-30',
    inventoried: true,
  });
  t.same(body.cells, []);
  t.same(body.summary, { improved: 0, worsened: 0, changed: 0 });
});

t.test(
  'the Barnahus retired as of a date: its girls and boys cells worsen, and the change names it',
  async (t) => {
    const [entry] = barnahus;
    const served = entry.cells.filter(
      (c: Body) => c.role === 'subjected' && ['girls', 'boys'].includes(c.group),
    );
    t.ok(served.length >= 2, `it serves ${served.length} girls/boys cells`);
    const before = (await request(app, `/v1/coverage?county=06&at=2026-01-01`)).body.cells;
    const was = (cell: Body) =>
      before.find((c: Body) => c.area === cell.area && c.role === cell.role && c.group === cell.group);
    t.ok(
      served.every((cell: Body) => was(cell).status === 'covered'),
      'covered before',
    );

    const etag = (await app.inject(`/v1/resources/${entry.id}`)).headers.etag as string;
    const retired = await app.inject({
      method: 'PUT',
      url: `/v1/resources/${entry.id}`,
      headers: { ...bearer, 'if-match': etag },
      payload: { ...toInput(entry), status: 'closed', activeUntil: '2026-06-30' },
    });
    t.equal(retired.statusCode, 200);

    const { body } = await request(app, `${url}&group=girls&group=boys`);
    // In the seeded data other resources serve some municipalities in these cells: they become partial.
    t.same(
      body.cells.map((c: Body) => [c.area, c.group, c.from.status, c.to.status, c.direction]),
      [
        ['sexual-violence', 'girls', 'covered', 'partial', 'worsened'],
        ['sexual-violence', 'boys', 'covered', 'partial', 'worsened'],
      ],
    );
    for (const change of body.cells) {
      t.ok(change.to.lackingMunicipalities.length > 0, 'municipalities now lack it');
      t.ok(change.to.affectedPopulation > 0, 'with their population');
      t.same(change.stopped, [{ id: entry.id, name: entry.name, kind: 'barnahus' }], 'it names the Barnahus');
      t.same(change.started, []);
    }
    t.notOk(
      body.cells.some((c: Body) => c.area === 'close-relationship'),
      'close-relationship stays covered: the social services serve every municipality',
    );
    t.ok(
      body.cells.every((c: Body) => ['girls', 'boys'].includes(c.group)),
      'the group filter narrows the cells',
    );
    t.equal(body.summary.worsened, body.cells.length);

    const lastDay = '/v1/coverage/changes?county=06&group=girls&from=2026-06-01';
    t.same((await request(app, `${lastDay}&to=2026-06-29`)).body.cells, [], 'running on its last day');
    t.equal(
      (await request(app, `${lastDay}&to=2026-06-30`)).body.summary.worsened,
      1,
      'activeUntil is the first day it no longer runs',
    );

    // As CSV: Swedish by default with `;`, English with `,`.
    const sv = await app.inject({ url: `${url}&group=girls`, headers: { accept: 'text/csv' } });
    t.equal(sv.statusCode, 200);
    t.match(sv.headers['content-type'], /^text\/csv/);
    t.equal(sv.headers['content-language'], 'sv');
    t.match(
      sv.headers['content-disposition'],
      /stodkartan-coverage-changes-county-06-2026-01-01-2026-11-30\.csv/,
    );
    const rows: string[][] = parse(sv.body, { bom: true, delimiter: ';' });
    t.same(rows[0]?.slice(0, 6), [
      'Våldsområde',
      'Roll',
      'Målgrupp',
      'Förändring',
      'Status 2026-01-01',
      'Status 2026-11-30',
    ]);
    const girls = rows.slice(1);
    t.equal(
      girls.length,
      body.cells.filter((c: Body) => c.group === 'girls').length,
      'one row per changed cell',
    );
    for (const row of girls) {
      t.equal(row[2], 'Flickor');
      t.equal(row[3], 'Försämrad');
      t.equal(row[4], 'Täckt');
      t.equal(row[13], entry.name, 'the stopped resource');
    }
    const en = await app.inject({
      url: `${url}&group=boys&format=csv`,
      headers: { 'accept-language': 'en' },
    });
    const english: string[][] = parse(en.body, { bom: true, delimiter: ',' });
    t.equal(english[0]?.[3], 'Change');
    t.ok(english.slice(1).every((row) => row[3] === 'Worsened' && row[13] === entry.name));
    const semicolon = await app.inject({
      url: `${url}&group=boys&format=csv&delimiter=semicolon`,
      headers: { 'accept-language': 'en' },
    });
    t.same(
      parse(semicolon.body, { bom: true, delimiter: ';' }),
      english,
      'the same rows with either separator',
    );
  },
);

t.test('where the Barnahus is the only support for children: covered to national-only or gap', async (t) => {
  // The county's inventory, its Barnahus and the national lines, nothing else: the scenario.
  const only = await buildTestApp(t, { SEED_IF_EMPTY: 'false' });
  const seedFile = (name: string) => JSON.parse(readFileSync(join(curatedDatasetDir, name), 'utf8'));
  const jonkoping = seedFile('06-jonkoping.json');
  const dataset = {
    inventories: jonkoping.inventories,
    resources: [
      ...jonkoping.resources.filter((r: Body) => r.kind === 'barnahus'),
      ...seedFile('national.json').resources,
    ],
  };
  await importEntries(only, dataset, { today: '2026-11-30', at: new Date('2026-01-01T00:00:00.000Z') });
  const [entry] = (await request(only, '/v1/resources?county=06&kind=barnahus&national=false')).body.items;
  const admin = await createToken(only.tokens, 'admin', { kind: 'admin' });
  const retired = await only.inject({
    method: 'PUT',
    url: `/v1/resources/${entry.id}`,
    headers: { authorization: `Bearer ${admin}`, 'if-match': '*' },
    payload: { ...toInput(entry), status: 'closed', activeUntil: '2026-06-30' },
  });
  t.equal(retired.statusCode, 200);
  const { body } = await request(only, url);
  const children = entry.cells.filter((c: Body) => ['girls', 'boys'].includes(c.group));
  t.equal(body.cells.length, children.length, 'exactly its girls and boys cells changed');
  for (const change of body.cells) {
    const name = `${change.area}/${change.group}`;
    t.ok(['girls', 'boys'].includes(change.group), name);
    t.equal(change.from.status, 'covered', name);
    t.ok(['national-only', 'gap'].includes(change.to.status), `${name}: ${change.to.status}`);
    t.equal(change.to.lackingMunicipalities.length, 13, `${name}: all 13 municipalities lack it`);
    t.equal(change.direction, 'worsened', name);
    t.same(change.stopped, [{ id: entry.id, name: entry.name, kind: 'barnahus' }], `${name}: names it`);
  }
});

t.test('a resource that started is listed, its name kept from running as a formula', async (t) => {
  const name = '=HYPERLINK("http://evil.example/x","Mer info")';
  const created = await app.inject({
    method: 'POST',
    url: '/v1/resources',
    headers: bearer,
    payload: resourceInput({
      name,
      activeFrom: '2026-03-01',
      serviceArea: { municipalities: ['0680'] },
      locations: [{ visibility: 'public', municipality: '0680' }],
      cells: [{ area: 'prostitution-trafficking', role: 'subjected', group: 'women' }],
    }),
  });
  t.equal(created.statusCode, 201);
  const query = `${url}&area=prostitution-trafficking&role=subjected&group=women`;
  const { body } = await request(app, query);
  t.equal(body.cells.length, 1);
  const [cell] = body.cells;
  t.equal(cell.from.status, 'gap', 'the report found nothing for it');
  t.equal(cell.to.status, 'partial', 'now one municipality has it');
  t.equal(cell.direction, 'improved');
  t.same(
    cell.started.map((r: Body) => r.name),
    [name],
  );
  t.same(cell.to.lackingMunicipalities.map((m: Body) => m.code).includes('0680'), false);
  const rows: string[][] = parse((await app.inject(`${query}&format=csv`)).body, {
    bom: true,
    delimiter: ';',
  });
  t.equal(rows[1]?.[12], `'${name}`, 'prefixed so that a spreadsheet shows it as text');
});

t.test('bad input is a 400 that says what is wrong', async (t) => {
  for (const [query, name] of [
    ['county=06&from=2026-11-30&to=2026-01-01', 'from'],
    ['county=06&from=2026-01-01&to=2026-01-01', 'from'],
    ['county=06&to=2026-01-01', 'from'],
    ['county=06&from=2026-01-01', 'to'],
    ['county=06&from=2026-02-30&to=2026-11-30', 'from'],
    ['county=06&from=1.1.2026&to=2026-11-30', 'from'],
    ['county=99&from=2025-01-01&to=2026-01-01', 'county'],
    ['county=06&from=2025-01-01&to=2026-01-01&group=cats', 'group'],
    ['county=06&municipality=0680&from=2025-01-01&to=2026-01-01', 'county'],
    ['county=06&from=2025-01-01&to=2026-01-01&at=2026-01-01', 'at'],
  ] as const) {
    const body = await expectProblem(t, app, `/v1/coverage/changes?${query}`, 400);
    t.ok(
      body.errors.some((e: Body) => e.name === name || e.pointer?.includes(name) || e.reason.includes(name)),
      `${query}: names ${name}`,
    );
  }
  const body = await expectProblem(t, app, '/v1/coverage/changes?from=2025-01-01&to=2026-01-01', 400);
  t.equal(body.code, 'place-required');
});

t.test('a direction reverses when the dates do', async (t) => {
  const municipalities = fc.uniqueArray(fc.constantFrom('0680', '0682', '0684'), { maxLength: 3 });
  const standing = fc.record({
    status: fc.constantFrom(...coverageStatuses.filter((s) => s !== 'not-inventoried')),
    lackingMunicipalities: municipalities.map((codes) => codes.map((code) => ({ code, name: code }))),
    affectedPopulation: fc.nat({ max: 1000 }),
    notKnownMunicipalities: fc.constant([] as CellStanding['notKnownMunicipalities']),
    notKnownPopulation: fc.nat({ max: 1000 }),
  });
  const opposite = { improved: 'worsened', worsened: 'improved', changed: 'changed' } as const;
  fc.assert(
    fc.property(
      standing,
      standing,
      (a: CellStanding, b: CellStanding) => directionOf(b, a) === opposite[directionOf(a, b)],
    ),
  );
  t.pass('directionOf(b, a) is the opposite of directionOf(a, b)');
  // Reversal alone holds for a direction that always says `changed`: one case each way pins the order.
  const at = (status: CellStanding['status'], affectedPopulation: number): CellStanding => ({
    status,
    lackingMunicipalities: [],
    affectedPopulation,
    notKnownMunicipalities: [],
    notKnownPopulation: 0,
  });
  t.equal(directionOf(at('gap', 500), at('covered', 0)), 'improved', 'gap to covered');
  t.equal(directionOf(at('partial', 100), at('partial', 300)), 'worsened', 'more people without support');
});
