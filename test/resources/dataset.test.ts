// The dataset import: validation that names entry and field, all-or-nothing storage, re-import idempotence.
import t, { type Test } from 'tap';
import { migrateDatabase, openDatabase } from '../../src/db/client.js';
import { loadPlaces } from '../../src/places/places.js';
import { latestInventories } from '../../src/places/repository.js';
import { DatasetError, parseDataset, storeDataset } from '../../src/resources/dataset.js';
import { countResources, getResource } from '../../src/resources/repository.js';
import { loadVocabulary } from '../../src/vocabulary/vocabulary.js';
import { resourceInput } from '../helpers/fixtures.js';

function freshDatabase(t: Test) {
  const database = openDatabase(`${t.testdir({})}/db.sqlite`);
  migrateDatabase(database);
  t.teardown(() => database.close());
  const context = {
    places: loadPlaces(database.db),
    vocabulary: loadVocabulary(database.db),
    today: '2026-11-23',
  };
  return { database, context };
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof DatasetError) return error.problems;
    throw error;
  }
  return [];
}

t.test('a valid dataset is stored with its service area expanded and its phone normalised', async (t) => {
  const { database, context } = freshDatabase(t);
  const skaraborg = resourceInput({ serviceArea: { subregions: ['skaraborg'], municipalities: ['1490'] } });
  const county = resourceInput({
    serviceArea: { counties: ['06'] },
    organization: { name: 'Region', type: 'region' },
  });
  const dataset = parseDataset(
    {
      inventories: [
        { county: '06', completedOn: '2018-12-31', completeness: 'complete', source: { title: 'Report' } },
      ],
      resources: [skaraborg, county],
    },
    'test',
    context,
  );
  const report = storeDataset(database, dataset, '2026-11-23T10:00:00.000Z');
  t.same(report, { inventories: 1, created: 2, updated: 0, unchanged: 0 });

  const stored = getResource(database.db, skaraborg.id as string);
  t.equal(stored?.serviceArea.municipalities.length, 16, '15 Skaraborg municipalities and Borås');
  t.ok(stored?.serviceArea.municipalities.includes('1496'), 'Skövde');
  t.equal(stored?.contact.phone, '+4633123456', 'phone stored as E.164');
  t.equal(getResource(database.db, county.id as string)?.serviceArea.municipalities.length, 13);

  t.test('re-importing the same entries changes nothing; a changed entry is updated in place', async (t) => {
    const again = storeDataset(database, dataset, '2026-11-24T10:00:00.000Z');
    t.same(again, { inventories: 1, created: 0, updated: 0, unchanged: 2 });
    t.equal(getResource(database.db, skaraborg.id as string)?.updatedAt, '2026-11-23T10:00:00.000Z');

    const changed = parseDataset([{ ...skaraborg, name: 'Nytt namn' }], 'test', context);
    t.same(storeDataset(database, changed, '2026-11-25T10:00:00.000Z'), {
      inventories: 0,
      created: 0,
      updated: 1,
      unchanged: 0,
    });
    const updated = getResource(database.db, skaraborg.id as string);
    t.equal(updated?.name, 'Nytt namn');
    t.equal(updated?.createdAt, '2026-11-23T10:00:00.000Z', 'creation time kept');
    t.equal(updated?.updatedAt, '2026-11-25T10:00:00.000Z');
    t.equal(countResources(database.db), 2, 'no duplicate');
  });
});

t.test('every problem names the entry index and the field', async (t) => {
  const { context } = freshDatabase(t);
  const problems = problemsOf(() =>
    parseDataset(
      {
        resources: [
          resourceInput(),
          resourceInput({ kind: 'nonexistent', cells: [{ area: 'war', role: 'subjected', group: 'women' }] }),
          resourceInput({ serviceArea: { municipalities: ['9999'] }, contact: { phone: '1234' } }),
          { ...resourceInput(), lastVerified: 'yesterday' },
          resourceInput({ lastVerified: '2030-01-01', languages: ['xx'] }),
          resourceInput({ serviceArea: {} }),
          resourceInput({ serviceArea: { national: true, counties: ['06'] } }),
          resourceInput({ organization: { name: 'X', type: 'ideell', organisationNumber: '123456-7890' } }),
          resourceInput({ contact: { website: 'javascript:alert(1)' } }),
        ],
      },
      'file.json',
      context,
    ),
  );
  const expected = [
    /^resources\[1\]\/kind: unknown kind 'nonexistent'/,
    /^resources\[1\]\/cells\/0\/area: unknown area 'war'/,
    /^resources\[2\]\/serviceArea\/municipalities\/0: unknown municipality '9999'/,
    /^resources\[2\]\/contact\/phone: not a valid/,
    /^resources\[3\]\/lastVerified: /,
    /^resources\[4\]\/lastVerified: must not be in the future/,
    /^resources\[4\]\/languages\/0: 'xx' is not an ISO 639-1/,
    /^resources\[5\]\/serviceArea: give `national: true`/,
    /^resources\[6\]\/serviceArea: a national service area/,
    /^resources\[7\]\/organization\/organisationNumber: not a valid/,
    /^resources\[8\]\/contact\/website: must be an http/,
  ];
  for (const pattern of expected)
    t.ok(
      problems.some((p) => pattern.test(p)),
      `reports ${pattern}`,
    );
  t.notOk(
    problems.some((p) => p.startsWith('resources[0]')),
    'the valid entry has no problem',
  );
});

t.test(
  'a confidential location with an address or coordinates is refused, without echoing them',
  async (t) => {
    const { context } = freshDatabase(t);
    const problems = problemsOf(() =>
      parseDataset(
        [
          resourceInput({
            locations: [
              {
                visibility: 'confidential',
                municipality: '1490',
                address: { street: 'Hemliga vägen 7', postalCode: '503 31', city: 'Borås' },
                lat: 57.7,
                lon: 12.9,
              },
            ],
          }),
        ],
        'file.json',
        context,
      ),
    );
    t.ok(
      problems.some((p) =>
        /locations\/0\/address: a confidential location must not carry an address/.test(p),
      ),
    );
    t.ok(problems.some((p) => /locations\/0: a confidential location must not carry coordinates/.test(p)));
    t.notOk(problems.join('\n').includes('Hemliga'), 'the refused street never appears in the error');
    t.notOk(problems.join('\n').includes('57.7'), 'the refused coordinates never appear in the error');
  },
);

t.test('one bad entry stores nothing: all or nothing', async (t) => {
  const { database, context } = freshDatabase(t);
  t.throws(() => parseDataset([resourceInput(), resourceInput({ kind: 'bad' })], 'file.json', context), {
    message: /resources\[1\]\/kind: unknown kind 'bad'/,
  });
  // An entry that only the database refuses (its kind bypassed validation) rolls back the entries before it
  // (entries are stored in id order: the refused one is the one stored last).
  const dataset = parseDataset([resourceInput(), resourceInput()], 'file.json', context);
  const last = dataset.resources.toSorted((a, b) => (a.id < b.id ? -1 : 1)).at(-1);
  if (last) last.kind = 'ghost';
  const cacheSize = database.sqlite.pragma('cache_size', { simple: true });
  t.throws(() => storeDataset(database, dataset, '2026-11-23T00:00:00.000Z'), /FOREIGN KEY/);
  t.equal(countResources(database.db), 0, 'the first entry was rolled back too');
  t.equal(
    database.sqlite.pragma('cache_size', { simple: true }),
    cacheSize,
    "the import's larger page cache is given back, after a failure too",
  );
});

t.test('the database itself refuses a confidential location with an address', async (t) => {
  const { database, context } = freshDatabase(t);
  const entry = resourceInput();
  storeDataset(database, parseDataset([entry], 'f', context), '2026-11-23T00:00:00.000Z');
  t.throws(
    () =>
      database.sqlite
        .prepare(
          `INSERT INTO resource_locations (resource_id, position, visibility, municipality_code, street)
           VALUES (?, 9, 'confidential', '1490', 'Hemliga vägen 7')`,
        )
        .run(entry.id),
    /CHECK constraint failed/,
  );
});

t.test('structural problems: ids required and unique, top-level shape', async (t) => {
  const { context } = freshDatabase(t);
  const same = resourceInput();
  const { id: _drop, ...withoutId } = resourceInput();
  const problems = problemsOf(() =>
    parseDataset({ resources: [same, same, withoutId], extra: 1 }, 'f', context),
  );
  t.ok(problems.some((p) => /resources\[1\]\/id: the same id as resources\[0\]/.test(p)));
  t.ok(problems.some((p) => /resources\[2\]\/id: is required/.test(p)));
  t.ok(problems.some((p) => /\/extra: unknown property/.test(p)));
  t.ok(problemsOf(() => parseDataset('nope', 'f', context)).length === 1);
  t.ok(
    problemsOf(() => parseDataset({ resources: {} }, 'f', context)).some((p) => /must be an array/.test(p)),
  );
});

t.test('inventory completeness and sources round-trip through import and storage', async (t) => {
  const { database, context } = freshDatabase(t);
  const sourced = resourceInput({
    source: { title: 'Rapport', url: 'https://example.org/rapport', seen: '2026-11-30' },
    sources: [
      {
        title: 'Kontakt',
        url: 'https://example.org/kontakt',
        seen: '2026-11-29',
        facts: ['contact', 'hours'],
      },
    ],
  });
  const dataset = parseDataset(
    {
      inventories: [
        {
          county: '06',
          completedOn: '2018-12-31',
          completeness: 'complete',
          source: { title: 'Rapport' },
          note: 'Metoden',
          notAssessed: [{ area: 'honour-related', role: 'perpetrator' }],
        },
        { county: '14', completedOn: '2022-12-31', completeness: 'selection', source: { title: 'Urval' } },
      ],
      resources: [sourced],
    },
    'test',
    { ...context, today: '2026-11-30' },
  );
  storeDataset(database, dataset, '2026-11-30T10:00:00.000Z');
  const stored = getResource(database.db, sourced.id as string);
  t.same(stored?.source, { title: 'Rapport', url: 'https://example.org/rapport', seen: '2026-11-30' });
  t.same(stored?.sources, sourced.sources);
  const inventories = latestInventories(database.db);
  t.same(inventories.get('06'), {
    completedOn: '2018-12-31',
    completeness: 'complete',
    source: { title: 'Rapport' },
    note: 'Metoden',
    notAssessed: [{ area: 'honour-related', role: 'perpetrator' }],
  });
  t.equal(inventories.get('14')?.completeness, 'selection');
  t.same(inventories.get('14')?.notAssessed, []);
});

t.test('an inventory must say how complete it is, in codes the vocabulary knows', async (t) => {
  const { context } = freshDatabase(t);
  const problems = problemsOf(() =>
    parseDataset(
      {
        inventories: [
          { county: '06', completedOn: '2018-12-31', source: { title: 'Rapport' } },
          { county: '06', completedOn: '2018-12-31', completeness: 'most', source: { title: 'Rapport' } },
          {
            county: '06',
            completedOn: '2018-12-31',
            completeness: 'complete',
            source: { title: 'Rapport' },
            notAssessed: [{ area: 'honour', role: 'perpetrator' }],
          },
        ],
        resources: [
          resourceInput({
            sources: [{ title: 'Sida', url: 'ftp://example.org', seen: '2999-01-01', facts: ['contact'] }],
          }),
        ],
      },
      'test',
      context,
    ),
  );
  t.match(problems.join('\n'), /inventories\[0\].*completeness/);
  t.match(problems.join('\n'), /inventories\[1\]\/completeness/);
  t.match(problems.join('\n'), /inventories\[2\]\/notAssessed\/0\/area: unknown area 'honour'/);
  t.match(problems.join('\n'), /resources\[0\]\/sources\/0\/url: must be an http or https URL/);
  t.match(problems.join('\n'), /resources\[0\]\/sources\/0\/seen: must not be in the future/);
});
