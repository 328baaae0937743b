// The curated dataset (seed/resources) is sourced: every fact names the report or page it comes from, by
// its real title; contact facts cite the page that publishes them; no sheltered or secret address is ever
// recorded. Reads the seed files as they are committed, not through the app, so a bad entry fails here
// with its file and name before anything loads it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { curatedDatasetDir } from '../../src/resources/dataset.js';
import type { FactSource, InventoryInput, ResourceInput } from '../../src/resources/schemas.js';

/** The real sources, by title and address: the two reports and the pages read for this dataset. */
const allowList: { title: string; url?: string }[] = JSON.parse(
  readFileSync(new URL('./curated-sources.json', import.meta.url), 'utf8'),
);
const allowed = new Set(allowList.map((s) => `${s.title}\n${s.url ?? ''}`));

/** The two county reports, as domain.md gives their titles. */
const reports = {
  '06':
    'Länsstyrelsen i Jönköpings län: Regional lägesrapport. Utvecklingen av insatser i Jönköpings län enligt ' +
    'den nationella strategin att förebygga och bekämpa mäns våld mot kvinnor för perioden 2017–2018 ' +
    '(Meddelande nr 2019:04, mars 2019)',
  '14':
    'Länsstyrelsen Västra Götaland: Redovisning av verksamhetsår 2022. Uppdrag att förebygga och bekämpa mäns ' +
    'våld mot kvinnor enligt förordning 2021:995',
};

/** Titles an earlier version of the dataset made up: no such publications exist. */
const inventedTitles = [
  /kartläggning av stöd (till|och skydd för) våldsutsatta/,
  /\(webbplats\)$/,
  /^Hedersförtryck\.se – Nationella stödtelefonen$/,
];

/** Kinds that run sheltered housing: their addresses are secret, whatever an entry claims. */
const shelterKinds = new Set(['kvinnojour', 'tjejjour']);

interface CuratedFile {
  inventories?: InventoryInput[];
  resources: ResourceInput[];
}

const files = readdirSync(curatedDatasetDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({
    file,
    data: JSON.parse(readFileSync(join(curatedDatasetDir, file), 'utf8')) as CuratedFile,
  }));

const isReport = (title: string) => Object.values(reports).includes(title);

/** Every problem with one source: not a real one, or a page without its address or the day it was read. */
function sourceProblems(source: { title: string; url?: string; seen?: string }): string[] {
  const problems: string[] = [];
  if (!allowed.has(`${source.title}\n${source.url ?? ''}`))
    problems.push(`source not in the allow-list: "${source.title}" ${source.url ?? '(no url)'}`);
  if (inventedTitles.some((pattern) => pattern.test(source.title)))
    problems.push(`an invented title: "${source.title}"`);
  if (!isReport(source.title) && (source.url === undefined || source.seen === undefined))
    problems.push(`a page cited without its url and the date it was seen: "${source.title}"`);
  return problems;
}

/** Everything wrong with one entry's sourcing and addresses. */
export function entryProblems(entry: ResourceInput): string[] {
  const problems: string[] = [];
  if (!entry.source?.title) return ['no source'];
  const sources: FactSource[] = entry.sources ?? [];
  for (const source of [entry.source, ...sources]) problems.push(...sourceProblems(source));
  // The main source vouches for every fact not attributed elsewhere; a report gives no contact details.
  const cites = (fact: FactSource['facts'][number]) =>
    sources.some((s) => s.facts.includes(fact)) || !isReport(entry.source.title);

  const contactFacts = Object.entries(entry.contact).filter(([, value]) => value !== undefined);
  if (contactFacts.length > 0 && !cites('contact'))
    problems.push(`contact facts (${contactFacts.map(([k]) => k).join(', ')}) without a source for them`);

  if ((entry.openingHours !== undefined || entry.open24h === true) && !cites('hours'))
    problems.push('opening hours without a source for them');

  entry.locations.forEach((location, i) => {
    const placed = location.address !== undefined || location.lat !== undefined || location.lon !== undefined;
    if (!placed) return;
    if (location.visibility === 'confidential')
      problems.push(`locations/${i}: a confidential location placed`);
    if (shelterKinds.has(entry.kind)) problems.push(`locations/${i}: an address for a ${entry.kind}`);
    if (!cites('locations')) problems.push(`locations/${i}: an address without a source for it`);
  });
  return problems;
}

t.test('every curated entry names real sources, and cites a page for each contact fact', async (t) => {
  let entries = 0;
  let withContact = 0;
  for (const { file, data } of files) {
    for (const entry of data.resources) {
      entries += 1;
      if (Object.keys(entry.contact).length > 0) withContact += 1;
      t.same(entryProblems(entry), [], `${file}: ${entry.name}`);
    }
  }
  t.ok(entries >= 40, `${entries} entries read`);
  t.ok(withContact > 0, 'some entries have contact facts, so the rule is exercised');
});

t.test('the inventories cite their reports, and say how complete they are', async (t) => {
  const inventories = files.flatMap(({ data }) => data.inventories ?? []);
  const byCounty = new Map(inventories.map((inventory) => [inventory.county, inventory]));
  t.same([...byCounty.keys()].sort(), ['06', '14']);
  t.equal(byCounty.get('06')?.completeness, 'complete', 'Jönköping: the matrix looked for every actor');
  t.equal(byCounty.get('14')?.completeness, 'selection', 'Västra Götaland: "Urval av stödresurser"');
  t.same(
    byCounty.get('06')?.notAssessed,
    [
      { area: 'honour-related', role: 'perpetrator' },
      { area: 'prostitution-trafficking', role: 'perpetrator' },
    ],
    'the cells the Jönköping report makes no finding on',
  );
  for (const inventory of inventories) {
    t.equal(inventory.source.title, reports[inventory.county as keyof typeof reports], inventory.county);
    t.same(sourceProblems(inventory.source), []);
  }
});

t.test('the rules catch what they guard against', async (t) => {
  const [{ data }] = files as [(typeof files)[number]];
  const entry = data.resources[0] as ResourceInput;
  const report = { title: reports['06'], url: 'https://www.lansstyrelsen.se/jonkoping' };
  const page = { title: 'Barnahus', url: 'https://plus.rjl.se/infopage.jsf?nodeId=39571&childId=20629' };
  const plain = { ...entry, source: report, sources: [], contact: {}, locations: [] };
  t.same(entryProblems(plain), []);
  t.match(entryProblems({ ...plain, source: { title: 'Länsstyrelsens rapport' } }), [
    /not in the allow-list/,
  ]);
  t.match(
    entryProblems({
      ...plain,
      source: {
        title:
          'Länsstyrelsen i Jönköpings län: kartläggning av stöd till våldsutsatta och våldsutövare i Jönköpings län, rapport 2017–2018',
      },
    }),
    [/not in the allow-list/, /invented title/, /without its url/],
  );
  t.same(entryProblems({ ...plain, source: undefined } as unknown as ResourceInput), ['no source']);
  t.match(entryProblems({ ...plain, source: page }), [/without its url and the date it was seen/]);
  t.match(entryProblems({ ...plain, contact: { phone: '036-10 10 10' } }), [/contact facts \(phone\)/]);
  t.same(
    entryProblems({
      ...plain,
      contact: { phone: '036-10 10 10' },
      sources: [{ ...page, seen: '2026-11-30', facts: ['contact'] }],
    }),
    [],
  );
  const weekdays = {
    weekly: [{ days: ['mon' as const, 'tue' as const], opens: '09:00', closes: '16:00' }],
  };
  t.match(entryProblems({ ...plain, openingHours: weekdays }), [/opening hours without a source/]);
  t.match(entryProblems({ ...plain, open24h: true }), [/opening hours without a source/]);
  t.same(
    entryProblems({
      ...plain,
      openingHours: weekdays,
      sources: [{ ...page, seen: '2026-11-30', facts: ['hours'] }],
    }),
    [],
  );
  const address = { street: 'Storgatan 1', postalCode: '553 16', city: 'Jönköping' };
  const located = {
    ...plain,
    kind: 'kvinnojour',
    sources: [{ ...page, seen: '2026-11-30', facts: ['locations' as const] }],
    locations: [{ visibility: 'public' as const, municipality: '0680', address }],
  };
  t.match(entryProblems(located), [/an address for a kvinnojour/]);
  t.match(
    entryProblems({
      ...located,
      kind: 'barnahus',
      locations: [{ visibility: 'confidential', municipality: '0680', lat: 57.78, lon: 14.16 }],
    }),
    [/a confidential location placed/],
  );
  t.same(entryProblems({ ...located, kind: 'barnahus' }), []);
  t.match(entryProblems({ ...located, kind: 'barnahus', sources: [] }), [/address without a source/]);
  t.same(
    entryProblems({ ...plain, source: { ...page, seen: '2026-11-30' }, contact: { phone: '036-10 10 10' } }),
    [],
    'a page as the main source vouches for the contact facts it publishes',
  );
});
