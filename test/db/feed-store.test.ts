import pg from 'pg';
import t, { type Test } from 'tap';
import {
  currentCursor,
  cursorOf,
  type FeedEntry,
  feedPageJson,
  positionOf,
  readFeed,
} from '../../src/changes/feed.js';
import { migrateDatabase, openDatabase } from '../../src/db/client.js';
import { PostgresResourceStore } from '../../src/db/postgres/resource-store.js';
import { SqliteResourceStore } from '../../src/db/sqlite/resource-store.js';
import type { ChangeMeta, HistoryStore, ResourceStore } from '../../src/db/store.js';
import { toInput } from '../../src/resources/changes.js';
import { parseCuratedDataset } from '../../src/resources/dataset.js';
import { publicShelter, resourceInput } from '../helpers/fixtures.js';
import { migratedPostgresDatabase, skipWithoutPostgres } from '../helpers/postgres.js';
import { validation } from '../helpers/validation.js';

const { context, normalized } = validation(t, '2026-11-30');

const at = (iso: string, tokenName: string | null = 'anna-14'): ChangeMeta => ({
  tokenName,
  at: new Date(iso),
});

type Store = ResourceStore & HistoryStore;

/** The history id a cursor stands for. */
const idOf = (cursor: string) => positionOf(cursor, Number.MAX_SAFE_INTEGER);

interface Opened {
  store: Store;
  url?: string;
  pool?: pg.Pool;
}

const engines: { name: string; skip: string | false; open: (t: Test) => Promise<Opened> }[] = [
  {
    name: 'SQLite',
    skip: false,
    open: async (t) => {
      const database = openDatabase(`${t.testdir({})}/feed.db`);
      t.teardown(() => database.close());
      migrateDatabase(database);
      return { store: new SqliteResourceStore(database) };
    },
  },
  {
    name: 'PostgreSQL',
    skip: skipWithoutPostgres,
    open: async (t) => {
      const { url, database } = await migratedPostgresDatabase(t, 4);
      return { store: new PostgresResourceStore(database), url, pool: database.pool };
    },
  },
];

const street = 'Rosenlundsgatan 4';
const curated = parseCuratedDataset(context);
const shelter = resourceInput({ id: '00000000-0000-4000-8000-0000000000a1', name: 'Jouren i Borås' });
const hidden = {
  ...publicShelter({
    street,
    postalCode: '553 16',
    municipality: '0680',
    city: 'Jönköping',
    lat: 57.77,
    lon: 14.17,
  }),
  id: '00000000-0000-4000-8000-0000000000a2',
};

/** Every kind of change the feed lists, the same on both engines: an import, API writes, a withdrawal. */
async function recordChanges(store: Store): Promise<void> {
  await store.importDataset(curated, at('2026-11-30T08:00:00.000Z', null));
  await store.createResource(normalized(shelter), at('2026-11-30T09:00:00.001Z'));
  await store.changeResource(
    shelter.id as string,
    'update',
    (current) => normalized({ ...toInput(current), name: 'Kvinnojouren i Borås' }),
    at('2026-11-30T09:30:00.000Z'),
  );
  const verified = curated.resources[3]?.id as string;
  await store.changeResource(
    verified,
    'verify',
    (current) => normalized({ ...toInput(current), lastVerified: '2026-11-30' }),
    at('2026-11-30T10:00:00.000Z'),
  );
  await store.createResource(normalized(hidden), at('2026-11-30T10:30:00.000Z'));
  await store.changeResource(
    hidden.id as string,
    'update',
    (current) =>
      normalized({ ...toInput(current), locations: [{ visibility: 'confidential', municipality: '0680' }] }),
    at('2026-11-30T11:00:00.000Z'),
  );
  await store.changeResource(
    shelter.id as string,
    'retire',
    (current) => normalized({ ...toInput(current), status: 'closed', activeUntil: '2026-11-30' }),
    at('2026-11-30T11:30:00.000Z'),
  );
  // Imported again as it was: the verified entry goes back to its imported state, the rest is unchanged.
  await store.importDataset(curated, at('2026-11-30T12:00:00.000Z', null));
}

/** The whole feed, page by page as a consumer follows `next`, with each page's JSON text. */
async function follow(store: Store, limit: number): Promise<{ entries: FeedEntry[]; pages: string[] }> {
  const entries: FeedEntry[] = [];
  const pages: string[] = [];
  let position = 0;
  for (;;) {
    const page = await readFeed(store, position, limit);
    const next = page.entries.at(-1)?.cursor ?? cursorOf(position);
    pages.push(feedPageJson({ ...page, next }));
    entries.push(...page.entries);
    if (!page.more) return { entries, pages };
    position = idOf(next);
  }
}

for (const engine of engines) {
  t.test(`the change feed on ${engine.name}`, { skip: engine.skip }, async (t) => {
    const { store } = await engine.open(t);
    t.equal(await store.feedHead(), 0, 'an empty history: the head is 0');
    t.same(await store.feedAfter(0, 10), []);
    await recordChanges(store);

    const head = await store.feedHead();
    const changes = curated.resources.length + 7;
    t.equal(head, changes, 'one history row per change: the import, six API writes, one re-imported entry');
    t.equal(await currentCursor(store), cursorOf(head));
    t.same(await store.feedAfter(head, 10), [], 'nothing after the head');

    const whole = await follow(store, 500);
    t.equal(whole.pages.length, 1);
    t.equal(whole.entries.length, changes);
    const ids = whole.entries.map((e) => idOf(e.cursor));
    t.same(
      ids,
      [...ids].sort((a, b) => a - b),
      'oldest first, by history id',
    );
    t.equal(ids.at(-1), head);
    const byPages = await follow(store, 7);
    t.equal(byPages.pages.length, Math.ceil(changes / 7), 'pages of 7, the last saying no more follow');
    t.same(byPages.entries, whole.entries, 'following `next` page by page gives the same changes');

    const mine = whole.entries.slice(curated.resources.length);
    t.same(
      mine.map((e) => [e.resourceId, e.action, e.at]),
      [
        [shelter.id, 'create', '2026-11-30T09:00:00.001Z'],
        [shelter.id, 'update', '2026-11-30T09:30:00.000Z'],
        [curated.resources[3]?.id, 'verify', '2026-11-30T10:00:00.000Z'],
        [hidden.id, 'create', '2026-11-30T10:30:00.000Z'],
        [hidden.id, 'update', '2026-11-30T11:00:00.000Z'],
        [shelter.id, 'retire', '2026-11-30T11:30:00.000Z'],
        [curated.resources[3]?.id, 'update', '2026-11-30T12:00:00.000Z'],
      ],
    );
    const [created, renamed] = mine;
    t.equal(created?.resource.name, 'Jouren i Borås', 'each entry shows the resource as it was then');
    t.equal(renamed?.resource.name, 'Kvinnojouren i Borås');
    t.equal(renamed?.resource.createdAt, '2026-11-30T09:00:00.001Z', 'createdAt as the API showed it');
    t.equal(renamed?.resource.updatedAt, '2026-11-30T09:30:00.000Z', 'updatedAt: the time of the change');
    const text = whole.pages[0] as string;
    for (const leaked of [street, '553 16', '57.77', '14.17'])
      t.notOk(text.includes(leaked), `the withdrawn address is in no entry: ${leaked}`);
  });
}

t.test('both engines give the same feed, page for page', { skip: skipWithoutPostgres }, async (t) => {
  const [sqlite, postgres] = await Promise.all(engines.map((engine) => engine.open(t)));
  if (!sqlite || !postgres) return;
  await recordChanges(sqlite.store);
  await recordChanges(postgres.store);
  t.equal(await postgres.store.feedHead(), await sqlite.store.feedHead(), 'the same head');
  for (const limit of [1, 7, 100, 500]) {
    const [fromSqlite, fromPostgres] = [
      await follow(sqlite.store, limit),
      await follow(postgres.store, limit),
    ];
    t.equal(fromPostgres.pages.length, fromSqlite.pages.length, `limit ${limit}: as many pages`);
    t.ok(
      fromPostgres.pages.every((page, i) => page === fromSqlite.pages[i]),
      `limit ${limit}: every page the same JSON text (members in the order written: history is json, not jsonb)`,
    );
  }
});

t.test(
  'on PostgreSQL, a writer holding its history id uncommitted keeps later writers from committing before it',
  { skip: skipWithoutPostgres },
  async (t) => {
    const [engine] = engines.slice(1);
    const { store, url, pool } = await (engine as (typeof engines)[number]).open(t);
    if (!url || !pool) return;
    await store.createResource(normalized(hidden), at('2026-11-30T10:00:00.000Z'));
    const start = await store.feedHead();

    // A third session holds the hidden shelter's history row. Writer A withdraws the address: it saves,
    // inserts its history row (an id from the sequence), then waits to redact the held row, uncommitted.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    t.teardown(() => holder.end());
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM resource_history WHERE resource_id = $1 FOR UPDATE', [hidden.id]);
    const waiting = async () =>
      Number(
        (
          await pool.query<{ n: string }>(
            `SELECT count(*) AS n FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          )
        ).rows[0]?.n,
      );
    const until = async (count: number) => {
      while ((await waiting()) < count);
    };
    const writerA = store.changeResource(
      hidden.id as string,
      'update',
      (current) =>
        normalized({
          ...toInput(current),
          locations: [{ visibility: 'confidential', municipality: '0680' }],
        }),
      at('2026-11-30T11:00:00.000Z'),
    );
    await until(1);
    // Writer B starts after A has its id. Were B's history id handed out and committed while A waits, a
    // reader now would see B's id and hand out a cursor past A's.
    const other = resourceInput({ name: 'Jouren i Alingsås' });
    const writerB = store.createResource(normalized(other), at('2026-11-30T11:00:01.000Z'));
    const settledB = writerB.then(() => 'committed');
    t.equal(
      await Promise.race([until(2).then(() => 'waiting'), settledB]),
      'waiting',
      'B waits for A: the dataset version row is held to commit',
    );
    t.equal(await store.feedHead(), start, 'meanwhile a reader sees neither change');
    const meanwhile = await readFeed(store, start, 100);
    t.same(meanwhile.entries, []);
    const cursor = meanwhile.entries.at(-1)?.cursor ?? cursorOf(start);

    await holder.query('ROLLBACK');
    await Promise.all([writerA, writerB]);
    const later = await readFeed(store, idOf(cursor), 100);
    t.same(
      later.entries.map((e) => [e.resourceId, e.action]),
      [
        [hidden.id, 'update'],
        [other.id, 'create'],
      ],
      'the cursor handed out meanwhile leads to both changes, in commit order',
    );
  },
);
