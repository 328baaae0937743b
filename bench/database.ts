// The benchmark's database: generated once per resource count (the count and generator version are in
// the file name) and reused by later runs. Entries go through the project's own validation and
// storeDataset, exactly as an import would (triggers, history and all).
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { prepareDatabase } from '../src/db/sqlite/open.js';
import { loadPlaces } from '../src/places/places.js';
import { parseDataset, storeDataset } from '../src/resources/dataset.js';
import { countResources } from '../src/resources/repository.js';
import type { ResourceInput } from '../src/resources/schemas.js';
import { loadVocabulary } from '../src/vocabulary/vocabulary.js';
import { generatorVersion, syntheticInventories, syntheticResources } from './synthetic.js';

export const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));

/**
 * Entries per transaction. One transaction for everything would hold every parsed entry in memory and grow
 * the WAL to the size of the database; 25 000 keeps both bounded for the price of 4 commits at 100 000.
 */
const chunkSize = 25_000;

export interface BenchDatabase {
  path: string;
  resources: number;
  /** Seconds spent generating and storing; null when a cached database was reused. */
  generatedInSeconds: number | null;
  /** The import's two steps when this run made the database, wall clock and CPU (this process's). */
  importTimes: ImportTimes | null;
}

export interface ImportTimes {
  /** parseDataset: schema checks and validation of every entry. */
  validateSeconds: number;
  validateCpuSeconds: number;
  /** storeDataset: the writes, in transactions of `chunkSize`. */
  storeSeconds: number;
  storeCpuSeconds: number;
}

const openConfig = (path: string) =>
  loadConfig({ DATABASE_PATH: path, LOG_LEVEL: 'silent', SEED_IF_EMPTY: 'false' });

/**
 * The app's configuration for timing it in the process on a benchmark database: no seed, no logs, the
 * overload guard off (every request is to be measured) and no read limit (every request comes from one
 * address, and a 200-request scenario must not meet it).
 */
export const inProcessConfig = (path: string) =>
  loadConfig({
    DATABASE_PATH: path,
    LOG_LEVEL: 'silent',
    SEED_IF_EMPTY: 'false',
    MAX_EVENT_LOOP_DELAY_MS: '0',
    RATE_LIMIT_READS: '1000000',
  });

function storedResources(path: string): number {
  const database = prepareDatabase(openConfig(path));
  try {
    return countResources(database.db);
  } finally {
    database.close();
  }
}

function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
}

/** Returns the cached database for `count` resources, generating it first when missing or incomplete. */
export function ensureBenchDatabase(count: number, log: (line: string) => void): BenchDatabase {
  const path = join(resultsDir, `synthetic-${count}-v${generatorVersion}.db`);
  if (existsSync(path) && storedResources(path) === count) {
    log(`Reusing ${path} (${count} resources).`);
    return { path, resources: count, generatedInSeconds: null, importTimes: null };
  }
  removeDatabaseFiles(path);
  // Build under a temporary name and rename at the end: an interrupted run never leaves a database that
  // a later run would mistake for a complete one.
  const buildingPath = `${path}.tmp`;
  removeDatabaseFiles(buildingPath);
  const started = performance.now();
  const importTimes = generateInto(buildingPath, count, log, started);
  renameSync(buildingPath, path);
  const generatedInSeconds = (performance.now() - started) / 1000;
  log(
    `Generated ${count} resources into ${path} in ${generatedInSeconds.toFixed(1)} s ` +
      `(validation ${importTimes.validateSeconds.toFixed(1)} s, ${importTimes.validateCpuSeconds.toFixed(1)} s CPU; ` +
      `store ${importTimes.storeSeconds.toFixed(1)} s, ${importTimes.storeCpuSeconds.toFixed(1)} s CPU).`,
  );
  return { path, resources: count, generatedInSeconds, importTimes };
}

/** Wall-clock and CPU seconds of `step` added to `times`: on a shared machine the CPU time says more. */
function timed<T>(step: () => T, add: (seconds: number, cpuSeconds: number) => void): T {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  try {
    return step();
  } finally {
    const used = process.cpuUsage(cpu);
    add((performance.now() - wall) / 1000, (used.user + used.system) / 1e6);
  }
}

function generateInto(
  path: string,
  count: number,
  log: (line: string) => void,
  started: number,
): ImportTimes {
  const times: ImportTimes = {
    validateSeconds: 0,
    validateCpuSeconds: 0,
    storeSeconds: 0,
    storeCpuSeconds: 0,
  };
  const database = prepareDatabase(openConfig(path));
  try {
    const reference = { places: loadPlaces(database.db), vocabulary: loadVocabulary(database.db) };
    const now = new Date();
    const today = now.toISOString().slice(0, 10);
    const context = { ...reference, today };
    const entries = syntheticResources(count, context);
    let stored = 0;
    let chunkIndex = 0;
    while (stored < count) {
      // next() rather than for…of: breaking out of for…of would close the generator for good.
      const chunk: ResourceInput[] = [];
      for (let next = entries.next(); !next.done; next = entries.next()) {
        chunk.push(next.value);
        if (chunk.length === chunkSize) break;
      }
      if (chunk.length === 0) break;
      const data = {
        inventories: chunkIndex === 0 ? syntheticInventories(reference.places, today) : [],
        resources: chunk,
      };
      const parsed = timed(
        () => parseDataset(data, `synthetic chunk ${chunkIndex}`, context),
        (seconds, cpuSeconds) => {
          times.validateSeconds += seconds;
          times.validateCpuSeconds += cpuSeconds;
        },
      );
      timed(
        () => storeDataset(database, parsed, now.toISOString()),
        (seconds, cpuSeconds) => {
          times.storeSeconds += seconds;
          times.storeCpuSeconds += cpuSeconds;
        },
      );
      stored += chunk.length;
      chunkIndex += 1;
      if (stored % 25_000 === 0 || stored === count) {
        log(
          `  ${stored} / ${count} resources stored (${((performance.now() - started) / 1000).toFixed(1)} s)`,
        );
      }
    }
    return times;
  } finally {
    database.close();
  }
}
