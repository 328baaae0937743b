// The benchmark's PostgreSQL database (`--database-url`): the same synthetic dataset as the SQLite one, loaded
// through the PostgreSQL store's own importDataset (validation, history, triggers and all, as an import
// would), and kept: a marker row names the dataset it holds, so a later run with the same count reuses it.
import { isDeepStrictEqual } from 'node:util';
import { migratePostgres, type OpenPostgres, openPostgres } from '../src/db/postgres/client.js';
import { PostgresResourceStore } from '../src/db/postgres/resource-store.js';
import { prepareDatabase } from '../src/db/sqlite/open.js';
import { loadPlaces } from '../src/places/places.js';
import { parseDataset } from '../src/resources/dataset.js';
import { storedResources } from '../src/resources/repository.js';
import type { ResourceInput } from '../src/resources/schemas.js';
import { loadVocabulary } from '../src/vocabulary/vocabulary.js';
import { type BenchDatabase, inProcessConfig } from './database.js';
import { generatorVersion, syntheticInventories, syntheticResources } from './synthetic.js';

/** Entries per importDataset call (one transaction each), as the SQLite database was stored. */
const chunkSize = 25_000;

/** Resources compared field by field between the two engines after a load. */
const comparedSample = 2_000;

export interface PostgresDataset {
  /** The marker: generator, count and the instant the SQLite database was stored at. */
  name: string;
  resources: number;
  /** Seconds spent validating and importing; null when the database held the dataset already. */
  loadedInSeconds: number | null;
  /** The two steps of that load, wall clock and CPU seconds of the bench process. */
  loadTimes: { validateSeconds: number; storeSeconds: number; storeCpuSeconds: number } | null;
  /** Resources compared with the SQLite database after the load (0 when reused). */
  compared: number;
}

/** The URL without its password, for logs and the report. */
export function redactedUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

const markerTable = `CREATE TABLE IF NOT EXISTS bench_dataset (
  name text PRIMARY KEY, resources integer NOT NULL, loaded_at timestamptz NOT NULL DEFAULT now())`;

/**
 * What the SQLite benchmark database was stored with: the one instant of its import (createdAt, updatedAt
 * and every history entry carry it), whose UTC day is the `today` the generator and validation were given.
 */
function sqliteDataset(dataset: BenchDatabase) {
  const database = prepareDatabase(inProcessConfig(dataset.path));
  try {
    const row = database.sqlite
      .prepare('SELECT min(created_at) AS first, max(created_at) AS last, count(*) AS n FROM resources')
      .get() as { first: string; last: string; n: number };
    if (row.first !== row.last) {
      throw new Error(`${dataset.path} was not stored at one instant (${row.first} … ${row.last})`);
    }
    return {
      at: row.first,
      count: row.n,
      places: loadPlaces(database.db),
      vocabulary: loadVocabulary(database.db),
    };
  } finally {
    database.close();
  }
}

/**
 * Returns the PostgreSQL database holding the same dataset as `dataset` (the SQLite benchmark database),
 * loading it first when the database holds another one or none. The entries are generated anew from the
 * same seed and day and imported with the SQLite database's instant, so that every resource (createdAt,
 * updatedAt and version included) is the one SQLite holds; a sample is compared to prove it.
 */
export async function ensurePostgresDataset(
  url: string,
  dataset: BenchDatabase,
  log: (line: string) => void,
): Promise<PostgresDataset> {
  const source = sqliteDataset(dataset);
  const name = `synthetic-${source.count}-v${generatorVersion}@${source.at}`;
  const database = openPostgres(url, { max: 2 });
  try {
    await migratePostgres(database);
    await database.pool.query(markerTable);
    const held = await database.pool.query<{ name: string; resources: number }>(
      'SELECT name, resources FROM bench_dataset',
    );
    const stored = await new PostgresResourceStore(database).countResources();
    if (held.rows.length === 1 && held.rows[0]?.name === name && stored === source.count) {
      log(`Reusing ${redactedUrl(url)} (${name}).`);
      return { name, resources: stored, loadedInSeconds: null, loadTimes: null, compared: 0 };
    }
    log(`Loading ${name} into ${redactedUrl(url)} (it held ${held.rows[0]?.name ?? 'nothing'}).`);
    // Another dataset (or a load cut short): empty the data tables, keep schema and reference data.
    await database.pool.query(
      'TRUNCATE bench_dataset, resources, organizations, inventories, resource_history, dataset_changes CASCADE',
    );
    const started = performance.now();
    const loadTimes = await load(database, source, log, started);
    await database.pool.query('INSERT INTO bench_dataset (name, resources) VALUES ($1, $2)', [
      name,
      source.count,
    ]);
    const loadedInSeconds = (performance.now() - started) / 1000;
    await database.pool.query('VACUUM ANALYZE');
    const compared = await compareWithSqlite(database, dataset);
    log(
      `Loaded ${source.count} resources in ${loadedInSeconds.toFixed(1)} s (validation ` +
        `${loadTimes.validateSeconds.toFixed(1)} s, importDataset ${loadTimes.storeSeconds.toFixed(1)} s, ` +
        `${loadTimes.storeCpuSeconds.toFixed(1)} s CPU in this process); ${compared} resources equal to SQLite's.`,
    );
    return { name, resources: source.count, loadedInSeconds, loadTimes, compared };
  } finally {
    await database.close();
  }
}

async function load(
  database: OpenPostgres,
  source: ReturnType<typeof sqliteDataset>,
  log: (line: string) => void,
  started: number,
): Promise<NonNullable<PostgresDataset['loadTimes']>> {
  const store = new PostgresResourceStore(database);
  const today = source.at.slice(0, 10);
  const context = { places: source.places, vocabulary: source.vocabulary, today };
  const meta = { tokenName: null, at: new Date(source.at) };
  const times = { validateSeconds: 0, storeSeconds: 0, storeCpuSeconds: 0 };
  const entries = syntheticResources(source.count, context);
  let stored = 0;
  for (let chunkIndex = 0; stored < source.count; chunkIndex++) {
    const chunk: ResourceInput[] = [];
    for (let next = entries.next(); !next.done; next = entries.next()) {
      chunk.push(next.value);
      if (chunk.length === chunkSize) break;
    }
    if (chunk.length === 0) break;
    const validating = performance.now();
    const parsed = parseDataset(
      {
        inventories: chunkIndex === 0 ? syntheticInventories(source.places, today) : [],
        resources: chunk,
      },
      `synthetic chunk ${chunkIndex}`,
      context,
    );
    times.validateSeconds += (performance.now() - validating) / 1000;
    const storing = performance.now();
    const cpu = process.cpuUsage();
    await store.importDataset(parsed, meta);
    const used = process.cpuUsage(cpu);
    times.storeSeconds += (performance.now() - storing) / 1000;
    times.storeCpuSeconds += (used.user + used.system) / 1e6;
    stored += chunk.length;
    log(
      `  ${stored} / ${source.count} resources imported into PostgreSQL ` +
        `(${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
  }
  return times;
}

/**
 * Compares an evenly spread sample of resources (all of them up to `comparedSample`) as each engine's store
 * gives them, versions included; throws on the first difference. Returns how many were compared.
 */
async function compareWithSqlite(database: OpenPostgres, dataset: BenchDatabase): Promise<number> {
  const sqlite = prepareDatabase(inProcessConfig(dataset.path));
  try {
    const ids = sqlite.sqlite.prepare('SELECT id FROM resources ORDER BY id').pluck().all() as string[];
    const step = Math.max(1, Math.floor(ids.length / comparedSample));
    const sample = ids.filter((_, i) => i % step === 0);
    const expected = storedResources(sqlite.sqlite, sample);
    const actual = await new PostgresResourceStore(database).getResources(sample);
    for (let i = 0; i < sample.length; i++) {
      // Member order too: the API shows the stored JSON text as it is.
      if (
        !isDeepStrictEqual(actual[i], expected[i]) ||
        JSON.stringify(actual[i]) !== JSON.stringify(expected[i])
      ) {
        throw new Error(
          `PostgreSQL holds resource ${sample[i]} otherwise than SQLite:\n` +
            `${JSON.stringify(expected[i])}\n${JSON.stringify(actual[i])}`,
        );
      }
    }
    return sample.length;
  } finally {
    sqlite.close();
  }
}
