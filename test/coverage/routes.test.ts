// The coverage endpoints on the real app and the curated data: the county reports' findings must come
// out of the API, and every bad query must leave as a 400 problem naming its parameter.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'csv-parse/sync';
import t from 'tap';
import {
  CoverageCellSchema,
  CoverageReportSchema,
  CoverageSummarySchema,
  NationalCoverageSchema,
} from '../../src/coverage/schemas.js';
import { buildTestApp, expectProblem, request } from '../helpers/app.js';

const app = await buildTestApp(t);

interface CellBody {
  area: string;
  role: string;
  group: string;
  status: string;
  lackingMunicipalities: { code: string; name: string }[];
  affectedPopulation: number;
  notKnownMunicipalities: { code: string; name: string }[];
  notKnownPopulation: number;
  resources: { id: string; name: string; kind: string; afterInventory: boolean }[];
  reach: { medianKm: number | null; maxKm: number | null };
}

const groups = ['women', 'men', 'girls', 'boys', 'lgbtqi'];

async function report(query: string) {
  const { response, body } = await request(app, `/v1/coverage?${query}`);
  if (response.statusCode !== 200) throw new Error(`${query}: ${response.statusCode} ${response.body}`);
  const cell = (area: string, role: string, group: string) =>
    (body.cells as CellBody[]).find(
      (c) => c.area === area && c.role === role && c.group === group,
    ) as CellBody;
  return { response, body, cell };
}

t.test("Jönköpings län (06) at the report's date: the 2017–2018 report's findings", async (t) => {
  const { response, body, cell } = await report('county=06&at=2018-12-31');
  t.equal(response.statusCode, 200);
  t.match(response.headers['content-type'], /^application\/json/);
  t.equal(body.inventoried, true);
  t.equal(body.inventory.completedOn, '2018-12-31');
  t.equal(body.inventory.completeness, 'complete');
  t.match(body.inventory.source.title, /^Länsstyrelsen i Jönköpings län: Regional lägesrapport/);
  t.same(body.place, {
    type: 'county',
    code: '06',
    name: 'Jönköpings län',
    county: { code: '06', name: 'Jönköpings län' },
    municipalityCount: 13,
    population2016: 352_735,
  });
  t.equal(body.cells.length, 40);

  // "i länet": support for those subjected to close-relationship and honour-related violence, every group.
  for (const group of groups) {
    t.equal(
      cell('close-relationship', 'subjected', group).status,
      'covered',
      `close-relationship × ${group}`,
    );
    t.equal(cell('honour-related', 'subjected', group).status, 'covered', `honour-related × ${group}`);
  }
  // No support for people in prostitution or exploited, nor for people who risk committing sexual offences.
  for (const group of groups) {
    const prostitution = cell('prostitution-trafficking', 'subjected', group);
    t.match(prostitution.status, /^(national-only|gap)$/, `no regional support in prostitution × ${group}`);
    t.equal(prostitution.lackingMunicipalities.length, 13);
    t.equal(prostitution.affectedPopulation, 352_735);
    t.match(cell('sexual-violence', 'perpetrator', group).status, /^(national-only|gap)$/);
  }
  // Sexual violence regardless of relationship: support exists, but not for men or lgbtqi persons.
  for (const group of ['men', 'lgbtqi']) {
    const sexual = cell('sexual-violence', 'subjected', group);
    t.equal(sexual.status, 'gap', `sexual violence × ${group}: nothing, in 2018 not even a national line`);
    t.equal(sexual.lackingMunicipalities.length, 13);
  }
  t.equal(cell('sexual-violence', 'subjected', 'girls').status, 'covered', 'the Barnahus, county-wide');
  t.equal(cell('sexual-violence', 'subjected', 'boys').status, 'covered', 'the Barnahus, county-wide');
  // The report says "i länet" for women; the sources give the entries behind it narrower areas (their
  // notes say why): support exists, in 6 of 13 municipalities.
  const women = cell('sexual-violence', 'subjected', 'women');
  t.equal(women.status, 'partial');
  t.same(
    women.lackingMunicipalities.map((m) => m.code),
    ['0617', '0642', '0643', '0662', '0665', '0683', '0687'],
  );
  // Close-relationship × perpetrator: support exists, but not for girls and boys.
  for (const group of ['women', 'men', 'lgbtqi']) {
    t.equal(cell('close-relationship', 'perpetrator', group).status, 'covered', `ATV serves ${group}`);
  }
  for (const group of ['girls', 'boys']) {
    t.equal(
      cell('close-relationship', 'perpetrator', group).status,
      'gap',
      `nothing for ${group} who use violence`,
    );
  }
  // No finding in the report: honour-related × perpetrator and prostitution × perpetrator are not known.
  for (const area of ['honour-related', 'prostitution-trafficking']) {
    for (const group of groups) {
      const unassessed = cell(area, 'perpetrator', group);
      t.equal(
        unassessed.status,
        'none-known',
        `${area} × perpetrator × ${group}: the report makes no finding`,
      );
      t.same(unassessed.lackingMunicipalities, []);
      t.equal(unassessed.affectedPopulation, 0);
    }
  }

  const atv = cell('close-relationship', 'perpetrator', 'men');
  t.same(
    atv.resources.map((r) => r.name),
    ['ATV – behandling för våldsutövare, Region Jönköpings län'],
    'Välj att sluta became national in 2021',
  );
  t.same(atv.reach, { medianKm: null, maxKm: null }, 'nobody lacks it');
  t.ok(
    (body.cells as CellBody[]).every((c) =>
      c.resources.every(
        (r) => r.afterInventory === (r.name === 'Kvinnofridslinjen' || r.name === 'PrevenTell'),
      ),
    ),
    'only the national lines, taken from their own pages, come from after the report',
  );
  t.same(body.summary, {
    covered: 15,
    partial: 1,
    partlyKnown: 0,
    noneKnown: 10,
    nationalOnly: 2,
    gap: 12,
    notInventoried: 0,
  });
  t.equal(body.gaps.length, 15);
  t.notOk(body.gaps.some((g: CellBody) => !['partial', 'national-only', 'gap'].includes(g.status)));
  for (let i = 1; i < body.gaps.length; i++) {
    t.ok(body.gaps[i - 1].affectedPopulation >= body.gaps[i].affectedPopulation, 'largest population first');
  }
  t.equal(body.gaps.at(-1).group, 'women', 'the partial cell affects fewest');
});

t.test(
  'Jönköpings län (06) today: the KAST reception since 2023, marked as after the inventory',
  async (t) => {
    const today = await report('county=06');
    t.equal(today.body.at, new Date().toISOString().slice(0, 10), 'today by default');
    t.equal(
      today.body.inventory.completedOn,
      '2018-12-31',
      'a later entry does not make the inventory newer',
    );
    for (const group of ['women', 'men', 'lgbtqi']) {
      const buyers = today.cell('prostitution-trafficking', 'perpetrator', group);
      t.equal(buyers.status, 'covered', `prostitution × perpetrator × ${group}: the KAST reception`);
      t.same(
        buyers.resources.map((r) => [r.name, r.afterInventory]),
        [['KAST-mottagningen i Jönköping', true]],
      );
    }
    for (const group of ['girls', 'boys']) {
      t.equal(
        today.cell('prostitution-trafficking', 'perpetrator', group).status,
        'none-known',
        `the KAST source does not name ${group}; the report made no finding`,
      );
    }
    const before = await report('county=06&at=2018-12-31&area=prostitution-trafficking&role=perpetrator');
    t.ok(
      (before.body.cells as CellBody[]).every((c) => c.resources.length === 0),
      'at the report date the reception does not count',
    );
  },
);

t.test('Västra Götalands län (14), a selection: known support, never a gap', async (t) => {
  const { body, cell } = await report('county=14');
  t.equal(body.place.municipalityCount, 49);
  t.equal(body.inventory.completeness, 'selection');
  const mika = cell('prostitution-trafficking', 'subjected', 'women');
  t.equal(mika.status, 'partly-known');
  t.same(mika.lackingMunicipalities, [], 'nothing is said to lack');
  t.equal(mika.affectedPopulation, 0);
  t.equal(mika.notKnownMunicipalities.length, 47);
  const unknown = new Set(mika.notKnownMunicipalities.map((m) => m.code));
  t.notOk(unknown.has('1480') || unknown.has('1490'), 'Göteborg and Borås have it');
  const population = (code: string) => app.places.municipalities.get(code)?.population2016 ?? 0;
  t.equal(mika.notKnownPopulation, body.place.population2016 - population('1480') - population('1490'));
  t.same(
    mika.resources.map((r) => r.name),
    ['Mikamottagningen Borås', 'Mikamottagningen Göteborg'],
  );
  for (const at of ['2018-12-31', '2022-12-31', new Date().toISOString().slice(0, 10)]) {
    const { body: dated } = await report(`county=14&at=${at}`);
    const statuses = new Set((dated.cells as CellBody[]).map((c) => c.status));
    t.notOk(
      statuses.has('gap') || statuses.has('national-only') || statuses.has('partial'),
      `no finding at ${at}`,
    );
    t.equal(dated.summary.gap + dated.summary.nationalOnly + dated.summary.partial, 0);
    t.same(dated.gaps, []);
    t.ok(
      (dated.cells as CellBody[]).every(
        (c) => c.lackingMunicipalities.length === 0 && c.affectedPopulation === 0,
      ),
    );
  }
  t.notOk(
    (body.cells as CellBody[]).some((c) => c.resources.some((r) => r.name.startsWith('VKV'))),
    'professionals-only VKV serves no cell',
  );
  t.notOk(
    (body.cells as CellBody[]).some((c) => c.resources.some((r) => r.name.startsWith('Resurscentrum mot'))),
    'the planned resource centres serve no cell',
  );
});

t.test('Stockholms län (01), not inventoried: unknown, not forty gaps', async (t) => {
  const { body } = await report('county=01');
  t.equal(body.inventoried, false);
  t.equal(body.inventory, null);
  t.ok((body.cells as CellBody[]).every((c) => c.status === 'not-inventoried'));
  t.same(body.summary, {
    covered: 0,
    partial: 0,
    partlyKnown: 0,
    noneKnown: 0,
    nationalOnly: 0,
    gap: 0,
    notInventoried: 40,
  });
  t.same(body.gaps, []);
});

t.test('subregions and municipalities take their county’s inventory', async (t) => {
  const skaraborg = await report('subregion=skaraborg&area=close-relationship&role=perpetrator');
  t.same(skaraborg.body.place.county, { code: '14', name: 'Västra Götalands län' });
  t.equal(skaraborg.body.place.type, 'subregion');
  t.equal(skaraborg.body.place.municipalityCount, 15);
  t.equal(skaraborg.body.inventoried, true);
  t.equal(skaraborg.cell('close-relationship', 'perpetrator', 'women').status, 'covered', 'Utväg Skaraborg');

  const boras = await report('municipality=1490&area=prostitution-trafficking');
  t.equal(boras.body.place.type, 'municipality');
  t.equal(boras.body.place.name, 'Borås');
  t.equal(boras.body.cells.length, 10);
  t.equal(boras.cell('prostitution-trafficking', 'perpetrator', 'men').status, 'covered', 'KAST Borås');

  const stockholm = await report('municipality=0180');
  t.equal(stockholm.body.inventoried, false);
  t.equal(stockholm.body.summary.notInventoried, 40);
});

t.test('area, role and group narrow the cells; repeat a parameter for several', async (t) => {
  const { body } = await report('county=06&area=sexual-violence&group=men&group=lgbtqi');
  t.same(
    (body.cells as CellBody[]).map((c) => `${c.role}/${c.group}`),
    ['subjected/men', 'subjected/lgbtqi', 'perpetrator/men', 'perpetrator/lgbtqi'],
  );
  t.same(body.summary, {
    covered: 0,
    partial: 0,
    partlyKnown: 0,
    noneKnown: 0,
    nationalOnly: 3,
    gap: 1,
    notInventoried: 0,
  });
});

t.test('at: resources count only while their dates say they ran', async (t) => {
  // The KAST reception in Jönköping counts from 2023-01-01 (its source gives the year only).
  const query = 'county=06&area=prostitution-trafficking&role=perpetrator&group=men';
  const before = await report(`${query}&at=2022-12-31`);
  const opened = await report(`${query}&at=2023-01-01`);
  t.equal(before.body.at, '2022-12-31');
  t.equal(before.cell('prostitution-trafficking', 'perpetrator', 'men').status, 'none-known');
  t.same(before.cell('prostitution-trafficking', 'perpetrator', 'men').resources, []);
  t.equal(opened.cell('prostitution-trafficking', 'perpetrator', 'men').status, 'covered');
});

t.test('CSV for spreadsheets: UTF-8 with BOM, Swedish by default, English on request', async (t) => {
  const viaFormat = await app.inject('/v1/coverage?county=06&format=csv');
  t.equal(viaFormat.statusCode, 200);
  t.equal(viaFormat.headers['content-type'], 'text/csv; charset=utf-8');
  t.equal(
    viaFormat.headers['content-disposition'],
    `attachment; filename="stodkartan-coverage-county-06-${new Date().toISOString().slice(0, 10)}.csv"`,
  );
  t.equal(viaFormat.headers['content-language'], 'sv');
  t.match(viaFormat.headers.vary, /Accept-Language/);
  t.ok(
    viaFormat.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])),
    'starts with the UTF-8 BOM',
  );
  t.ok(viaFormat.body.includes('Våldsområde;Roll;Målgrupp;'), 'Swedish labels, separated by ; for Excel');
  const rows: string[][] = parse(viaFormat.body, { bom: true, delimiter: ';' });
  t.equal(rows.length, 41, 'a heading and 40 cells');
  t.same(rows[0], [
    'Våldsområde',
    'Roll',
    'Målgrupp',
    'Status',
    'Kommuner utan regionalt stöd',
    'Berörd befolkning (2016)',
    'Kommuner där regionalt stöd inte är känt (urval)',
    'Befolkning där stöd inte är känt (2016)',
    'Stödinsatser',
  ]);
  const women = rows.find(
    (r) => r[0] === 'Sexualiserat våld oavsett relation' && r[1] === 'Utsatt' && r[2] === 'Kvinnor',
  );
  t.equal(women?.[3], 'Delvis täckt');
  t.match(women?.[4], /^Gnosjö; Mullsjö; /);
  const lacking = ['0617', '0642', '0643', '0662', '0665', '0683', '0687'];
  t.equal(
    women?.[5],
    String(
      lacking.reduce((sum, code) => sum + (app.places.municipalities.get(code)?.population2016 ?? 0), 0),
    ),
  );
  t.same(women?.slice(6, 8), ['', '0'], 'a complete inventory has findings, nothing unknown');
  t.match(women?.[8], /Kvinno- och tjejjouren Jönköping/);
  t.match(women?.[8], /Kvinnofridslinjen \(efter inventeringen\)/, 'entries after the inventory are marked');

  const selection = await app.inject('/v1/coverage?county=14&format=csv');
  const vg: string[][] = parse(selection.body, { bom: true, delimiter: ';' });
  t.notOk(
    vg.slice(1).some((r) => ['Saknas', 'Delvis täckt', 'Endast nationellt stöd'].includes(r[3] as string)),
    'a selection county has no gap, partial or national-only row',
  );
  t.ok(
    vg.slice(1).every((r) => r[4] === '' && r[5] === '0'),
    'nothing lacking, nobody affected',
  );
  t.ok(vg.some((r) => r[3] === 'Känt stöd i vissa kommuner, övriga inte kända (urval)'));

  const viaAccept = await app.inject({
    url: '/v1/coverage?county=06&area=close-relationship&role=perpetrator',
    headers: { accept: 'application/json;q=0.5, text/csv', 'accept-language': 'en-GB, sv;q=0.5' },
  });
  t.equal(viaAccept.headers['content-type'], 'text/csv; charset=utf-8');
  t.equal(viaAccept.headers['content-language'], 'en');
  const english: string[][] = parse(viaAccept.body, { bom: true });
  t.equal(english.length, 6);
  t.same(english[0]?.slice(0, 4), ['Area', 'Role', 'Target group', 'Status']);
  t.same(english[3]?.slice(0, 4), [
    'Violence in close relationships',
    'Uses or risks using violence',
    'Girls (under 18)',
    'Gap',
  ]);

  const json = await app.inject({ url: '/v1/coverage?county=06', headers: { accept: '*/*' } });
  t.match(json.headers['content-type'], /^application\/json/, '*/* gets JSON');
  const explicit = await app.inject({
    url: '/v1/coverage?county=06&format=json',
    headers: { accept: 'text/csv' },
  });
  t.match(explicit.headers['content-type'], /^application\/json/, 'format wins over Accept');
  const unknown = await app.inject({
    url: '/v1/coverage?county=01&format=csv',
    headers: { 'accept-language': 'de' },
  });
  t.equal(unknown.headers['content-language'], 'sv', 'Swedish unless English is asked for');
  t.match(unknown.body, /Ej inventerat/);

  const problem = await expectProblem(
    t,
    app,
    { url: '/v1/coverage?county=99', headers: { accept: 'text/csv' } },
    400,
  );
  t.equal(problem.code, 'unknown-code', 'errors stay problem+json when CSV is asked for');
});

t.test('the national overview: every county, with the same statuses as its report', async (t) => {
  const { response, body } = await request(app, '/v1/coverage/national');
  t.equal(response.statusCode, 200);
  t.equal(body.counties.length, 21);
  const row = (code: string) =>
    body.counties.find((c: { county: { code: string } }) => c.county.code === code);
  for (const code of ['06', '14']) {
    const county = await report(`county=${code}`);
    t.equal(row(code).inventoried, true);
    t.same(row(code).summary, county.body.summary, `${code}: the same counts as its report`);
    const largest = county.body.gaps[0];
    t.same(
      row(code).largestGap,
      largest
        ? {
            area: largest.area,
            role: largest.role,
            group: largest.group,
            status: largest.status,
            affectedPopulation: largest.affectedPopulation,
            lackingMunicipalityCount: largest.lackingMunicipalities.length,
          }
        : null,
    );
    t.equal(row(code).municipalityCount, county.body.place.municipalityCount);
    t.equal(row(code).population2016, county.body.place.population2016);
  }
  t.equal(
    row('06').largestGap.status,
    'gap',
    'nothing at all ranks before national-only at equal population',
  );
  t.same(row('01').summary, {
    covered: 0,
    partial: 0,
    partlyKnown: 0,
    noneKnown: 0,
    nationalOnly: 0,
    gap: 0,
    notInventoried: 40,
  });
  t.equal(row('01').largestGap, null);
  t.equal(row('14').largestGap, null, 'a selection names no largest gap');
  t.equal(row('14').inventory.completeness, 'selection');
  t.equal(row('14').summary.gap + row('14').summary.nationalOnly + row('14').summary.partial, 0);
  t.equal(row('01').inventory, null);

  const past = await request(app, '/v1/coverage/national?at=2013-12-31&area=sexual-violence&role=subjected');
  t.equal(past.body.at, '2013-12-31');
  t.equal(past.body.counties[0].summary.notInventoried, 5);
  const jonkoping = past.body.counties.find((c: { county: { code: string } }) => c.county.code === '06');
  t.same(
    jonkoping.summary,
    (await report('county=06&at=2013-12-31&area=sexual-violence&role=subjected')).body.summary,
  );
});

t.test('bad queries: 400 problem+json naming the parameter', async (t) => {
  const missing = await expectProblem(t, app, '/v1/coverage', 400);
  t.equal(missing.code, 'place-required');
  t.same(
    missing.errors.map((e: { name: string }) => e.name),
    ['county', 'subregion', 'municipality'],
  );
  const onlyCells = await expectProblem(t, app, '/v1/coverage?area=sexual-violence', 400);
  t.equal(onlyCells.code, 'place-required');

  const contradictory = await expectProblem(t, app, '/v1/coverage?county=06&municipality=0680', 400);
  t.equal(contradictory.code, 'contradictory-parameters');
  t.same(
    contradictory.errors.map((e: { name: string }) => e.name),
    ['county', 'municipality'],
  );
  t.match(contradictory.detail, /county and municipality/);
  const three = await expectProblem(
    t,
    app,
    '/v1/coverage?county=14&subregion=skaraborg&municipality=1496',
    400,
  );
  t.equal(three.errors.length, 3);

  const cases: [string, string, string, RegExp?][] = [
    ['/v1/coverage?county=99', 'county', 'unknown-code', /'99'/],
    ['/v1/coverage?subregion=atlantis', 'subregion', 'unknown-code', /atlantis/],
    ['/v1/coverage?municipality=9999', 'municipality', 'unknown-code', /9999/],
    ['/v1/coverage?county=06&area=space', 'area', 'unknown-code', /space/],
    ['/v1/coverage?county=06&role=bystander', 'role', 'unknown-code', /bystander/],
    ['/v1/coverage?county=06&group=men&group=cats', 'group', 'unknown-code', /cats/],
    ['/v1/coverage/national?group=cats', 'group', 'unknown-code', /cats/],
    ['/v1/coverage?county=6', 'county', 'validation-failed'],
    ['/v1/coverage?municipality=180', 'municipality', 'validation-failed'],
    ['/v1/coverage?subregion=Skaraborg', 'subregion', 'validation-failed'],
    ['/v1/coverage?county=06&at=2023-02-30', 'at', 'validation-failed'],
    ['/v1/coverage?county=06&at=yesterday', 'at', 'validation-failed'],
    ['/v1/coverage?county=06&at=2023-1-1', 'at', 'validation-failed'],
    ['/v1/coverage/national?at=2023-13-01', 'at', 'validation-failed'],
    ['/v1/coverage?county=06&format=xlsx', 'format', 'validation-failed'],
    ['/v1/coverage?county=06&colour=red', 'colour', 'validation-failed'],
    ['/v1/coverage/national?county=06', 'county', 'validation-failed'],
  ];
  for (const [url, name, code, detail] of cases) {
    const problem = await expectProblem(t, app, url, 400);
    t.equal(problem.code, code, `${url}: ${code}`);
    t.equal(problem.errors[0].name, name, `${url} names ${name}`);
    if (detail) t.match(problem.detail, detail);
  }
});

t.test('the OpenAPI document describes both representations', async (t) => {
  const { body } = await request(app, '/openapi.json');
  const get = body.paths['/v1/coverage'].get;
  t.equal(get.operationId, 'getCoverage');
  t.same(get.tags, ['coverage']);
  t.same(Object.keys(get.responses['200'].content).sort(), ['application/json', 'text/csv']);
  t.equal(
    get.responses['200'].content['application/json'].schema.$ref,
    '#/components/schemas/CoverageReport',
  );
  t.equal(body.paths['/v1/coverage/national'].get.operationId, 'getNationalCoverage');
  for (const name of ['CoverageReport', 'CoverageCell', 'CoverageSummary', 'NationalCoverage']) {
    t.ok(body.components.schemas[name], `component ${name}`);
  }
});

t.test('the JSON bodies hold exactly what their schemas describe, nothing more', async (t) => {
  // The report is serialised with JSON.stringify rather than from its schema, so nothing would strip a
  // field the schema does not name: every object here is closed to check that.
  const closed = (schema: unknown): unknown => {
    if (Array.isArray(schema)) return schema.map(closed);
    if (schema === null || typeof schema !== 'object') return schema;
    const copy = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, closed(value)]));
    return 'properties' in copy ? { ...copy, additionalProperties: false } : copy;
  };
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  for (const schema of [CoverageSummarySchema, CoverageCellSchema]) ajv.addSchema(closed(schema) as object);
  const validReport = ajv.compile(closed(CoverageReportSchema) as object);
  const validOverview = ajv.compile(closed(NationalCoverageSchema) as object);
  for (const query of ['county=06', 'county=14', 'county=01', 'subregion=skaraborg', 'municipality=1490']) {
    const { body } = await request(app, `/v1/coverage?${query}`);
    t.ok(validReport(body), `${query}: ${JSON.stringify(validReport.errors?.slice(0, 3))}`);
  }
  const { body } = await request(app, '/v1/coverage/national');
  t.ok(validOverview(body), `national: ${JSON.stringify(validOverview.errors?.slice(0, 3))}`);
});

t.test('every entry dated after its county’s inventory is marked so in the coverage answer', async (t) => {
  let marked = 0;
  for (const county of ['06', '14']) {
    const { body } = await report(`county=${county}`);
    const completedOn = body.inventory.completedOn as string;
    const listed = new Map<string, boolean>();
    for (const c of body.cells as CellBody[]) for (const r of c.resources) listed.set(r.id, r.afterInventory);
    t.ok(listed.size > 10, `${county}: ${listed.size} entries listed`);
    for (const [id, afterInventory] of listed) {
      const { body: entry } = await request(app, `/v1/resources/${id}`);
      const dated = [entry.activeFrom, entry.source.seen].filter((d): d is string => typeof d === 'string');
      const expected = dated.some((d) => d > completedOn);
      t.equal(afterInventory, expected, `${county}: ${entry.name} (${dated.join(', ') || 'undated'})`);
      if (afterInventory) marked += 1;
    }
  }
  t.ok(marked >= 5, 'the KAST reception and the national lines are among those marked');
});
