// The read model on the store's change feed (src/read-model/feed-model.ts), on both engines: SQLite always,
// PostgreSQL when TEST_DATABASE_URL is set (skipped with a message otherwise). A write through the store
// reaches the model: at once for the process that made it (`caughtUp`), by the subscription (PostgreSQL's
// NOTIFY from another replica), by the one-second poll alone (another SQLite process; a lost notice), and by
// a full rebuild when the record of changes was pruned. A withdrawal ends a bulk load under way.
import { randomUUID } from 'node:crypto';
import t, { type Test } from 'tap';
import { migrateDatabase, openDatabase } from '../../src/db/client.js';
import { PostgresChangeFeed } from '../../src/db/postgres/change-feed.js';
import { migratePostgres, openPostgres } from '../../src/db/postgres/client.js';
import { PostgresResourceStore } from '../../src/db/postgres/resource-store.js';
import { SqliteChangeFeed } from '../../src/db/sqlite/change-feed.js';
import { SqliteResourceStore } from '../../src/db/sqlite/resource-store.js';
import type { ChangeFeed, ChangeMeta, ResourceStore } from '../../src/db/store.js';
import { loadPlaces } from '../../src/places/places.js';
import { FeedReadModel, type FeedReadModelOptions } from '../../src/read-model/feed-model.js';
import { toInput } from '../../src/resources/changes.js';
import type { ResourceInput } from '../../src/resources/schemas.js';
import { type NormalizedResource, validateResource } from '../../src/resources/validation.js';
import { loadVocabulary } from '../../src/vocabulary/vocabulary.js';
import { publicShelter, resourceInput } from '../helpers/fixtures.js';
import { freshPostgresDatabase, skipWithoutPostgres } from '../helpers/postgres.js';

const reference = openDatabase(`${t.testdir({})}/reference.db`);
migrateDatabase(reference);
const places = loadPlaces(reference.db);
const vocabulary = loadVocabulary(reference.db);
reference.close();
const context = { places, vocabulary, today: '2026-12-01', newId: randomUUID };

function normalized(input: ResourceInput): NormalizedResource {
  const result = validateResource(input, context);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.resource;
}

const meta = (): ChangeMeta => ({ tokenName: 'anna-14', at: new Date() });

interface Side {
  store: ResourceStore;
  feed: ChangeFeed;
}

interface Opened extends Side {
  /** Another process (SQLite: another connection) or replica (PostgreSQL: another pool) on the same data. */
  elsewhere(options?: { changeRetentionMs?: number }): Promise<Side>;
}

const engines: { name: string; skip: string | false; open: (t: Test) => Promise<Opened> }[] = [
  {
    name: 'SQLite',
    skip: false,
    open: async (t) => {
      const path = `${t.testdir({})}/feed.db`;
      const side = (): Side => {
        const database = openDatabase(path);
        t.teardown(() => database.close());
        return { store: new SqliteResourceStore(database), feed: new SqliteChangeFeed(database, path) };
      };
      const first = openDatabase(path);
      migrateDatabase(first);
      first.close();
      return { ...side(), elsewhere: async () => side() };
    },
  },
  {
    name: 'PostgreSQL',
    skip: skipWithoutPostgres,
    open: async (t) => {
      const url = await freshPostgresDatabase(t);
      const side = (options: { changeRetentionMs?: number } = {}): Side => {
        const database = openPostgres(url, { max: 3 });
        const feed = new PostgresChangeFeed(database, url, { retryMs: 20 });
        // The listener first: the pool ends after it.
        t.teardown(() => database.close());
        t.teardown(() => feed.close());
        return { store: new PostgresResourceStore(database, options), feed };
      };
      const first = openPostgres(url, { max: 1 });
      await migratePostgres(first);
      await first.close();
      return { ...side(), elsewhere: async (options) => side(options) };
    },
  },
];

async function openModel(t: Test, side: Side, options: FeedReadModelOptions, feed = side.feed) {
  const model = await FeedReadModel.open(feed, side.store, places, vocabulary, {
    warn: (details, message) => t.fail(message, details),
    ...options,
  });
  t.teardown(() => model.close());
  return model;
}

const nameOf = (model: FeedReadModel, id: string) => {
  const found = model.current().resources.get(id);
  return found ? (JSON.parse(found.json) as { name: string }).name : undefined;
};

/** The feed without its subscription: only the poll can tell the model of a write. */
const pollOnly = (feed: ChangeFeed): ChangeFeed => ({
  datasetVersion: () => feed.datasetVersion(),
  changesSince: (version) => feed.changesSince(version),
  bulkLoad: (visit, options) => feed.bulkLoad(visit, options),
  onWithdrawal: (listener) => feed.onWithdrawal(listener),
  subscribe: () => () => {},
});

for (const engine of engines) {
  t.test(
    `a write through the store reaches the read model on ${engine.name}`,
    { skip: engine.skip },
    async (t) => {
      const opened = await engine.open(t);
      const first = normalized(resourceInput({ name: 'Alfajouren' }));
      await opened.store.createResource(first, meta());
      // rebuildWholeBelow 0: the overlay path, as for a large dataset; no poll to help.
      const model = await openModel(t, opened, { rebuildWholeBelow: 0, pollMs: 60_000, foldAfterMs: 60_000 });
      t.equal(nameOf(model, first.id), 'Alfajouren', 'the model starts from the bulk load');

      const second = normalized(resourceInput({ name: 'Betajouren' }));
      const created = await opened.store.createResource(second, meta());
      await model.caughtUp(created.receipt);
      t.equal(
        nameOf(model, second.id),
        'Betajouren',
        'a creation is served as soon as the writer has awaited it',
      );
      t.equal(model.current().version, created.receipt.to);

      const changed = await opened.store.changeResource(
        first.id,
        'update',
        (current) => normalized({ ...toInput(current), name: 'Alfajouren i Borås' }),
        meta(),
      );
      await model.caughtUp(changed.receipt);
      t.equal(nameOf(model, first.id), 'Alfajouren i Borås', 'and so is a change');
      t.equal(model.stats.fullBuilds, 1, 'from the changes, without a rebuild');
      t.ok(model.stats.incremental >= 2);
      t.equal(model.current().resources.size, 2);
    },
  );

  t.test(`a write elsewhere reaches the read model on ${engine.name}`, { skip: engine.skip }, async (t) => {
    const opened = await engine.open(t);
    const other = await opened.elsewhere();
    // On PostgreSQL only the notice can tell it (no poll for a minute); on SQLite the poll, every 50 ms.
    const model = await openModel(t, opened, {
      rebuildWholeBelow: 0,
      pollMs: engine.name === 'SQLite' ? 50 : 60_000,
      foldAfterMs: 60_000,
    });
    const entry = normalized(resourceInput({ name: 'Gammajouren' }));
    const created = await other.store.createResource(entry, meta());
    await model.whenAt(created.receipt.to);
    t.equal(nameOf(model, entry.id), 'Gammajouren', 'served by the replica that did not write it');
  });

  t.test(`the poll alone finds a write on ${engine.name}`, { skip: engine.skip }, async (t) => {
    const opened = await engine.open(t);
    const other = await opened.elsewhere();
    const model = await openModel(t, opened, { pollMs: 50 }, pollOnly(opened.feed));
    const entry = normalized(resourceInput({ name: 'Deltajouren' }));
    const created = await other.store.createResource(entry, meta());
    await model.whenAt(created.receipt.to);
    t.equal(nameOf(model, entry.id), 'Deltajouren');
  });

  t.test(`a withdrawal ends a bulk load under way on ${engine.name}`, { skip: engine.skip }, async (t) => {
    const opened = await engine.open(t);
    const input = publicShelter({ street: 'Laddgatan 3', postalCode: '503 31', lat: 57.7211, lon: 12.9411 });
    const shelter = await opened.store.createResource(normalized(input), meta());
    await opened.store.createResource(normalized(resourceInput({ name: 'Epsilonjouren' })), meta());
    // A load that stops after its first batch until told to go on, and ends when a withdrawal comes.
    const abort = new AbortController();
    let resume: () => void = () => {};
    const resumed = new Promise<void>((resolve) => {
      resume = resolve;
    });
    let firstBatch: () => void = () => {};
    const atFirstBatch = new Promise<void>((resolve) => {
      firstBatch = resolve;
    });
    const events: string[] = [];
    const load = opened.feed
      .bulkLoad(
        async () => {
          firstBatch();
          await resumed;
        },
        { batchSize: 1, signal: abort.signal },
      )
      .then(
        () => 'finished',
        (error: Error) => error.name,
      )
      .then((outcome) => {
        events.push(`load ${outcome}`);
        return outcome;
      });
    const stop = opened.feed.onWithdrawal(async () => {
      events.push('told');
      abort.abort();
      resume();
      await load;
    });
    t.teardown(stop);
    await atFirstBatch;
    await opened.store.changeResource(
      shelter.resource.id,
      'update',
      (current) =>
        normalized({
          ...toInput(current),
          locations: [{ visibility: 'confidential', municipality: '1490' }],
        }),
      meta(),
    );
    events.push('withdrawn');
    t.equal(await load, 'AbortError', 'the load ended');
    // On PostgreSQL the store waits for the listener before its VACUUM FULL; on SQLite the checkpoint is
    // retried until the load's read transaction is gone, and the write returns without waiting.
    if (engine.name === 'PostgreSQL') t.same(events, ['told', 'load AbortError', 'withdrawn']);
    else t.same([...events].sort(), ['load AbortError', 'told', 'withdrawn']);
    t.equal(events[0], 'told', 'the listener was told before the write returned');
  });
}

for (const engine of engines) {
  t.test(
    `a withdrawal ends the model's rebuild under way on ${engine.name}`,
    { skip: engine.skip },
    async (t) => {
      const opened = await engine.open(t);
      const input = publicShelter({ street: 'Byggatan 9', postalCode: '503 33', lat: 57.7233, lon: 12.9433 });
      const shelter = await opened.store.createResource(normalized(input), meta());
      await opened.store.createResource(normalized(resourceInput({ name: 'Thetajouren' })), meta());
      // Loads after the first stop after their first batch until aborted.
      let gated = false;
      let stopped: () => void = () => {};
      const atStop = new Promise<void>((resolve) => {
        stopped = resolve;
      });
      const feed: ChangeFeed = {
        ...pollOnly(opened.feed),
        bulkLoad: (visit, options) =>
          opened.feed.bulkLoad(async (batch) => {
            await visit(batch);
            if (!gated) return;
            gated = false;
            stopped();
            await new Promise((resolve) => options?.signal?.addEventListener('abort', resolve));
          }, options),
      };
      const model = await openModel(t, opened, { pollMs: 60_000, batchSize: 1 }, feed);
      gated = true;
      // A change elsewhere: the model (under 2 000 resources) rebuilds whole, and stops in its load.
      const other = await opened.elsewhere();
      const renamed = await other.store.changeResource(
        shelter.resource.id,
        'update',
        (current) => normalized({ ...toInput(current), name: 'Jouren med nytt namn' }),
        meta(),
      );
      void model.caughtUp(renamed.receipt);
      await atStop;
      const withdrawn = await opened.store.changeResource(
        shelter.resource.id,
        'update',
        (current) =>
          normalized({
            ...toInput(current),
            locations: [{ visibility: 'confidential', municipality: '1490' }],
          }),
        meta(),
      );
      await model.caughtUp(withdrawn.receipt);
      t.equal(model.stats.abortedLoads, 1, 'the load under way was ended');
      const json = model.current().resources.get(shelter.resource.id)?.json ?? '';
      t.notOk(json.includes('Byggatan'), 'the street is not served');
      t.match(json, /Jouren med nytt namn/);
      t.match(json, /"visibility":"confidential"/);
    },
  );
}

t.test(
  'a replica behind the pruned record of changes rebuilds on PostgreSQL',
  { skip: skipWithoutPostgres },
  async (t) => {
    const opened = await engines[1]?.open(t);
    if (!opened) throw new Error('no PostgreSQL engine');
    // A writer that keeps no record older than its own transaction.
    const writer = await opened.elsewhere({ changeRetentionMs: 0 });
    const model = await openModel(
      t,
      opened,
      { rebuildWholeBelow: 0, pollMs: 60_000, foldAfterMs: 60_000 },
      pollOnly(opened.feed),
    );
    const from = model.current().version;
    const one = normalized(resourceInput({ name: 'Zetajouren' }));
    const two = normalized(resourceInput({ name: 'Etajouren' }));
    await writer.store.createResource(one, meta());
    const last = await writer.store.createResource(two, meta());
    const changes = await opened.feed.changesSince(from);
    t.same(
      changes,
      { version: last.receipt.to, ids: [two.id], complete: false },
      'the first write was pruned',
    );
    await model.caughtUp(last.receipt);
    t.equal(nameOf(model, one.id), 'Zetajouren', 'the pruned write is served: the model was rebuilt');
    t.equal(nameOf(model, two.id), 'Etajouren');
    t.equal(model.stats.fullBuilds, 2);
  },
);

t.test(
  'the PostgreSQL store waits for withdrawal listeners before VACUUM FULL',
  { skip: skipWithoutPostgres },
  async (t) => {
    const opened = await engines[1]?.open(t);
    if (!opened) throw new Error('no PostgreSQL engine');
    const input = publicShelter({ street: 'Väntgatan 7', postalCode: '503 32', lat: 57.7222, lon: 12.9422 });
    const shelter = await opened.store.createResource(normalized(input), meta());
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let told: () => void = () => {};
    const wasTold = new Promise<void>((resolve) => {
      told = resolve;
    });
    t.teardown(
      opened.feed.onWithdrawal(async () => {
        told();
        await gate;
      }),
    );
    const write = opened.store.changeResource(
      shelter.resource.id,
      'update',
      (current) =>
        normalized({
          ...toInput(current),
          locations: [{ visibility: 'confidential', municipality: '1490' }],
        }),
      meta(),
    );
    await wasTold;
    // A bounded wait, for the negative only: a store that did not wait returns within a few milliseconds.
    const state = await Promise.race([
      write.then(() => 'returned'),
      new Promise((resolve) => setTimeout(() => resolve('waiting'), 300)),
    ]);
    t.equal(state, 'waiting', 'the write has not returned while a listener holds it');
    release();
    await write;
  },
);
