import pg from 'pg';
import t, { type Test } from 'tap';
import { migrateDatabase, openDatabase } from '../../src/db/client.js';
import { PostgresChangeFeed } from '../../src/db/postgres/change-feed.js';
import { PostgresResourceStore } from '../../src/db/postgres/resource-store.js';
import { SqliteChangeFeed } from '../../src/db/sqlite/change-feed.js';
import { SqliteResourceStore } from '../../src/db/sqlite/resource-store.js';
import {
  type ChangeFeed,
  type ChangeMeta,
  type HistoryStore,
  ResourceExists,
  ResourceNotFound,
  type ResourceStore,
  VersionConflict,
} from '../../src/db/store.js';
import { Problem } from '../../src/http/problem.js';
import { toInput } from '../../src/resources/changes.js';
import { type ParsedDataset, parseCuratedDataset } from '../../src/resources/dataset.js';
import type { Resource, ResourceInput } from '../../src/resources/schemas.js';
import type { NormalizedResource } from '../../src/resources/validation.js';
import { resourceInput } from '../helpers/fixtures.js';
import { migratedPostgresDatabase, skipWithoutPostgres, testDatabaseUrl } from '../helpers/postgres.js';
import { validation } from '../helpers/validation.js';

const { context, normalized } = validation(t, '2026-11-30');

const at = (iso: string): ChangeMeta => ({ tokenName: 'anna-14', at: new Date(iso) });

interface Opened {
  store: ResourceStore & HistoryStore;
  feed: ChangeFeed;
  /** Rows of a plain SQL query without parameters (the test's own, fixed text). */
  query(text: string): Promise<Record<string, unknown>[]>;
  /** A literal of the engine's byte-string type, for a saved read model's key in plain SQL. */
  bytesLiteral: string;
  /** Holds the resource's row locked until the returned function is called (PostgreSQL only). */
  lockRow?(id: string): Promise<() => Promise<void>>;
  /** The table pages that hold `needle`, read raw with pageinspect after everything (PostgreSQL only). */
  pagesHolding?(needles: Buffer[]): Promise<string[]>;
}

const engines: { name: string; skip: string | false; open: (t: Test) => Promise<Opened> }[] = [
  {
    name: 'SQLite',
    skip: false,
    open: async (t) => {
      const path = `${t.testdir({})}/resources.db`;
      const database = openDatabase(path);
      t.teardown(() => database.close());
      migrateDatabase(database);
      return {
        store: new SqliteResourceStore(database),
        feed: new SqliteChangeFeed(database, path),
        query: async (text) => database.sqlite.prepare(text).all() as Record<string, unknown>[],
        bytesLiteral: "X'00'",
      };
    },
  },
  {
    name: 'PostgreSQL',
    skip: skipWithoutPostgres,
    open: async (t) => {
      const { url, database } = await migratedPostgresDatabase(t, 4);
      return {
        store: new PostgresResourceStore(database),
        feed: new PostgresChangeFeed(database, url),
        query: async (text) => (await database.pool.query(text)).rows,
        bytesLiteral: "'\\x00'::bytea",
        lockRow: async (id) => {
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          await client.query('BEGIN');
          await client.query('SELECT 1 FROM resources WHERE id = $1 FOR UPDATE', [id]);
          return async () => {
            await client.query('ROLLBACK');
            await client.end();
          };
        },
        pagesHolding: async (needles) => {
          await database.pool.query('CREATE EXTENSION IF NOT EXISTS pageinspect');
          const found: string[] = [];
          for (const table of ['resource_locations', 'resource_history']) {
            const { rows } = await database.pool.query<{ toast: string | null }>(
              'SELECT nullif(reltoastrelid, 0)::regclass::text AS toast FROM pg_class WHERE oid = $1::regclass',
              [table],
            );
            for (const relation of [table, rows[0]?.toast].filter((r): r is string => !!r)) {
              const pages = await database.pool.query<{ page: Buffer; block: number }>(
                `SELECT block, get_raw_page($1::text, block::int) AS page
                 FROM generate_series(0, pg_relation_size($1::text::regclass) / current_setting('block_size')::int - 1)
                   AS block`,
                [relation],
              );
              for (const { page, block } of pages.rows) {
                for (const needle of needles) {
                  if (page.includes(needle))
                    found.push(`${relation} block ${block}: ${needle.toString('hex')}`);
                }
              }
            }
          }
          return found;
        },
      };
    },
  },
];

/** What a promise was rejected with; undefined when it was fulfilled. */
const refused = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

/** The settled outcome of a promise, for asserting on a rejection's class and fields. */
const outcome = (promise: Promise<unknown>) =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

for (const engine of engines) {
  t.test(`resources and history on ${engine.name}`, { skip: engine.skip }, async (t) => {
    const { store, query } = await engine.open(t);
    const input = resourceInput({ name: 'Jouren i Borås' });
    const created = await store.createResource(normalized(input), at('2026-11-30T10:00:00.123Z'));
    t.equal(created.version, 1, 'a new resource is at version 1');
    t.equal(created.resource.name, 'Jouren i Borås');
    t.equal(created.resource.createdAt, '2026-11-30T10:00:00.123Z');
    t.same(created.receipt.ids, [input.id]);
    t.ok(created.receipt.to > created.receipt.from, 'the dataset version moved');
    t.same(await store.getResource(input.id as string), { resource: created.resource, version: 1 });
    t.equal(await store.getResource('no-such-id'), undefined);

    t.type(
      await refused(store.createResource(normalized(input), at('2026-11-30T10:01:00Z'))),
      ResourceExists,
      'a taken id is refused',
    );

    const renamed = await store.changeResource(
      input.id as string,
      'update',
      (current, version) => {
        t.equal(version, 1, 'decide sees the current version');
        return normalized({ ...toInput(current), name: 'Kvinnojouren i Borås' });
      },
      at('2026-11-30T11:00:00.000Z'),
    );
    t.equal(renamed.version, 2);
    t.equal(renamed.resource.name, 'Kvinnojouren i Borås');
    t.equal(renamed.resource.updatedAt, '2026-11-30T11:00:00.000Z');
    t.equal(renamed.resource.createdAt, '2026-11-30T10:00:00.123Z');

    const same = await store.changeResource(
      input.id as string,
      'verify',
      (current) => normalized(toInput(current)),
      at('2026-11-30T12:00:00.000Z'),
    );
    t.equal(same.version, 2, 'a change that changes nothing leaves the version');
    t.equal(same.receipt.from, same.receipt.to, 'and the dataset version');

    const refusal = new Problem(409, 'already-retired', 'no');
    t.equal(
      await refused(
        store.changeResource(
          input.id as string,
          'update',
          (current) => {
            normalized({ ...toInput(current), name: 'Never stored' });
            throw refusal;
          },
          at('2026-11-30T12:30:00Z'),
        ),
      ),
      refusal,
      "decide's refusal reaches the caller",
    );
    t.type(
      await refused(
        store.changeResource('no-such-id', 'update', () => normalized(input), at('2026-11-30T13:00:00Z')),
      ),
      ResourceNotFound,
    );

    const history = await store.history(input.id as string, { offset: 0, limit: 10 });
    t.equal(history.totalItems, 2, 'one history row per change that changed something');
    t.same(
      history.rows.map((row) => [
        row.at,
        row.action,
        row.tokenName,
        row.before?.name ?? null,
        row.after?.name,
      ]),
      [
        ['2026-11-30T10:00:00.123Z', 'create', 'anna-14', null, 'Jouren i Borås'],
        ['2026-11-30T11:00:00.000Z', 'update', 'anna-14', 'Jouren i Borås', 'Kvinnojouren i Borås'],
      ],
    );
    t.notOk('createdAt' in (history.rows[0]?.after ?? {}), 'snapshots leave the timestamps out');
    t.same((await store.history(input.id as string, { offset: 1, limit: 1 })).rows.length, 1);
    t.same(await query(`SELECT version FROM resource_history ORDER BY id`), [{ version: 1 }, { version: 2 }]);

    t.equal(await store.countResources(), 1);
    t.same(await store.lastModified(), new Date('2026-11-30T11:00:00.000Z'));
    t.same(await store.resourcesAfter('', 10), [renamed.resource]);
    t.same(await store.resourcesAfter(input.id as string, 10), []);
  });

  t.test(`two writers holding one version on ${engine.name}: one wins`, { skip: engine.skip }, async (t) => {
    const opened = await engine.open(t);
    const { store } = opened;
    const input = resourceInput();
    const id = input.id as string;
    await store.createResource(normalized(input), at('2026-11-30T10:00:00Z'));

    // Both writers hold ETag "1". On PostgreSQL a third session holds the row, so that both read version 1
    // and decide before either writes: the race that only the conditional UPDATE can settle. SQLite runs
    // each change whole under its write lock, so the second writer reads version 2 and If-Match refuses it.
    let decided = 0;
    let bothDecided: () => void = () => {};
    const bothRead = new Promise<void>((resolve) => {
      bothDecided = resolve;
    });
    const writer = (name: string) =>
      store.changeResource(
        id,
        'update',
        (current, version) => {
          decided += 1;
          if (decided === 2) bothDecided();
          if (version !== 1) throw new Problem(412, 'precondition-failed', `now version ${version}`);
          return normalized({ ...toInput(current), name });
        },
        at('2026-11-30T11:00:00Z'),
      );
    const release = await opened.lockRow?.(id);
    const results = [outcome(writer('Skrivare A')), outcome(writer('Skrivare B'))];
    if (release) {
      await bothRead;
      await release();
    }
    const settled = await Promise.all(results);
    const won = settled.filter((s) => s.ok);
    const lost = settled.flatMap((s) => (s.ok ? [] : [s.error]));
    t.equal(won.length, 1, 'exactly one writer wins');
    t.equal(lost.length, 1, 'the other is refused');
    if (release) {
      t.type(lost[0], VersionConflict, 'PostgreSQL: the conditional UPDATE refused it');
      t.equal((lost[0] as VersionConflict).current, 2, 'naming the version now current');
    } else {
      t.equal((lost[0] as Problem).status, 412, 'SQLite: If-Match refused it');
    }
    const stored = await store.getResource(id);
    t.equal(stored?.version, 2);
    const history = await store.history(id, { offset: 0, limit: 10 });
    t.same(
      history.rows.map((row) => row.action),
      ['create', 'update'],
      'the loser left no history',
    );
    t.equal(history.rows[1]?.after?.name, stored?.resource.name);
  });

  t.test(`a confidential location on ${engine.name}`, { skip: engine.skip }, async (t) => {
    const { store, query, bytesLiteral, pagesHolding } = await engine.open(t);
    const street = 'Hemliggatan 4711';
    const postalCode = '503 99';
    const lat = 57.7212345;
    const lon = 12.9412345;
    const input = resourceInput({
      locations: [
        {
          visibility: 'public',
          municipality: '1490',
          address: { street, postalCode, city: 'Borås' },
          lat,
          lon,
        },
      ],
    });
    const id = input.id as string;
    // A read model saved from here on holds the public address; its key must not outlive the withdrawal.
    await query(`INSERT INTO read_model_key (id, key) VALUES (1, ${bytesLiteral}) RETURNING id`);
    const keys = async () => (await query('SELECT id FROM read_model_key')).length;
    await store.createResource(normalized(input), at('2026-11-30T10:00:00Z'));
    await store.changeResource(
      id,
      'update',
      (current) => normalized({ ...toInput(current), note: 'Ny anteckning' }),
      at('2026-11-30T10:30:00Z'),
    );
    t.equal(await keys(), 1, 'changes that withdraw nothing keep the saved read models key');
    const needles = [street, postalCode].map((text) => Buffer.from(text));
    const float8 = (value: number) => {
      const bytes = Buffer.alloc(8);
      bytes.writeDoubleLE(value);
      return bytes;
    };
    if (pagesHolding) {
      t.ok(
        (await pagesHolding([Buffer.from(street)])).length > 0,
        'the raw pages hold the public address (the check below can see one)',
      );
    }

    // The decision hands the store a confidential location that still carries an address and a point, as
    // a bug above the store might: the store must not persist them.
    await store.changeResource(
      id,
      'update',
      (current) => {
        const next = normalized({
          ...toInput(current),
          locations: [{ visibility: 'confidential', municipality: '1490' }],
        });
        next.locations = [
          {
            visibility: 'confidential',
            municipality: '1490',
            address: { street, postalCode, city: 'Borås' },
            lat,
            lon,
          } as unknown as NormalizedResource['locations'][number],
        ];
        return next;
      },
      at('2026-11-30T11:00:00Z'),
    );
    const stored = await store.getResource(id);
    t.same(stored?.resource.locations, [{ visibility: 'confidential', municipality: '1490' }]);
    t.equal(await keys(), 0, 'the withdrawal dropped the saved read models key in its transaction');
    t.same(
      await query(
        `SELECT visibility, street, postal_code, city, opening_hours FROM resource_locations WHERE resource_id = '${id}'`,
      ),
      [{ visibility: 'confidential', street: null, postal_code: null, city: null, opening_hours: null }],
      'nothing but the municipality is stored',
    );
    const history = await store.history(id, { offset: 0, limit: 10 });
    t.equal(history.totalItems, 3);
    const text = JSON.stringify(history.rows);
    for (const secret of [street, postalCode, String(lat), String(lon)]) {
      t.notOk(text.includes(secret), `the history no longer shows ${secret}`);
    }
    const raw = JSON.stringify(
      await query(`SELECT before, after FROM resource_history WHERE resource_id = '${id}'`),
    );
    t.notOk(raw.includes(street) || raw.includes(String(lat)), 'nor do the stored rows');

    if (pagesHolding) {
      t.same(
        await pagesHolding([...needles, float8(lat), float8(lon)]),
        [],
        'no page of resource_locations, resource_history or their TOAST holds the address or the point',
      );
    }
  });

  t.test(`imports on ${engine.name}: all or nothing`, { skip: engine.skip }, async (t) => {
    const { store, query } = await engine.open(t);
    const curated = parseCuratedDataset(context);
    const first = await store.importDataset(curated, {
      tokenName: null,
      at: new Date('2026-11-30T09:00:00Z'),
    });
    t.same(
      { ...first, receipt: undefined },
      {
        inventories: curated.inventories.length,
        created: curated.resources.length,
        updated: 0,
        unchanged: 0,
        receipt: undefined,
      },
    );
    t.equal(first.receipt.ids.length, curated.resources.length);
    t.equal(await store.countResources(), curated.resources.length);
    const counts = async () => ({
      resources: await store.countResources(),
      history: (await query('SELECT count(*) AS n FROM resource_history'))[0]?.n,
      inventories: (await query('SELECT count(*) AS n FROM inventories'))[0]?.n,
      version: (await query('SELECT version FROM dataset_version WHERE id = 1'))[0]?.version,
    });
    const before = await counts();
    const [changedEntry] = curated.resources;
    const broken: ParsedDataset = {
      inventories: curated.inventories.map((i) => ({ ...i, note: 'changed' })),
      resources: [
        { ...(changedEntry as NormalizedResource), name: 'Changed', contentHash: 'changed' },
        normalized(resourceInput()),
        // Valid for the validator's eyes only: its kind is no row of `kinds`, a foreign key violation.
        { ...normalized(resourceInput()), kind: 'no-such-kind' },
      ],
    };
    t.ok(
      (await refused(
        store.importDataset(broken, { tokenName: null, at: new Date('2026-11-30T10:00:00Z') }),
      )) !== undefined,
      'the import fails on its last entry',
    );
    t.same(await counts(), before, 'and leaves nothing of its earlier entries');
    t.equal(
      (await store.getResource((changedEntry as NormalizedResource).id))?.resource.name,
      changedEntry?.name,
    );
    const again = await store.importDataset(curated, {
      tokenName: null,
      at: new Date('2026-11-30T11:00:00Z'),
    });
    t.equal(again.unchanged, curated.resources.length, 'an unchanged import changes nothing');
    t.equal(again.receipt.from, again.receipt.to);
  });
}

t.test('both engines give a resource the same shape', { skip: skipWithoutPostgres }, async (t) => {
  const [sqlite, postgres] = await Promise.all(engines.map((engine) => engine.open(t)));
  if (!sqlite || !postgres || !testDatabaseUrl) return;
  const curated = parseCuratedDataset(context);
  const hours: NonNullable<ResourceInput['openingHours']> = {
    weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], opens: '13:00', closes: '16:00' }],
    holidays: 'closed',
  };
  const rich = normalized(
    resourceInput({
      openingHours: hours,
      ageMin: 13,
      ageMax: 25,
      anonymous: true,
      languages: ['sv', 'en', 'ar'],
      locations: [
        { visibility: 'public', municipality: '1490', lat: 57.721, lon: 12.94 },
        {
          visibility: 'public',
          municipality: '1490',
          address: { street: 'Storgatan 1', postalCode: '503 30', city: 'Borås' },
          lat: 57.7201234567,
          lon: 12.9398765432,
          openingHours: hours,
        },
        { visibility: 'confidential', municipality: '1490' },
      ],
    }),
  );
  const meta = { tokenName: null, at: new Date('2026-11-30T09:00:00.007Z') };
  const dataset = { ...curated, resources: [...curated.resources, rich] };
  await sqlite.store.importDataset(dataset, meta);
  await postgres.store.importDataset(dataset, meta);
  const ids = dataset.resources.map((r) => r.id);
  const [fromSqlite, fromPostgres] = await Promise.all([
    sqlite.store.getResources(ids),
    postgres.store.getResources(ids),
  ]);
  t.equal(fromPostgres.length, ids.length);
  t.same(fromPostgres, fromSqlite, 'every curated resource, and one with every optional field, alike');
  t.equal(
    JSON.stringify(fromPostgres),
    JSON.stringify(fromSqlite),
    'as the same JSON text: members in the order written (json, not jsonb, where the API shows stored JSON)',
  );
  t.same(
    (await postgres.store.history(rich.id, { offset: 0, limit: 1 })).rows,
    (await sqlite.store.history(rich.id, { offset: 0, limit: 1 })).rows,
    'and their history',
  );
  const resources: Resource[] = fromSqlite.map((v) => v.resource);
  t.same(
    await postgres.store.resourcesAfter('', 1000),
    [...resources].sort((a, b) => (a.id < b.id ? -1 : 1)),
    'keyset paging in byte order',
  );
  const loaded = async (feed: ChangeFeed) => {
    const all: { id: string; version: number }[] = [];
    const { version } = await feed.bulkLoad(
      (batch) => {
        for (const { resource, version } of batch) all.push({ id: resource.id, version });
      },
      { batchSize: 7 },
    );
    return { version: version > 0, all };
  };
  const [sqliteLoad, postgresLoad] = [await loaded(sqlite.feed), await loaded(postgres.feed)];
  t.equal(postgresLoad.all.length, ids.length);
  t.same(postgresLoad, sqliteLoad, 'the bulk load in the same (name, byte) order, a batch at a time');
});
