import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { projectRoot } from '../paths.js';
import { loadReferenceData } from './reference-data.js';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema>;

export interface OpenDatabase {
  sqlite: Database.Database;
  db: Db;
  close(): void;
}

/** Opens (creating if needed) the SQLite database with the pragmas the service relies on. */
export function openDatabase(path: string): OpenDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  // FULL makes every acknowledged commit durable even if the machine loses power, not only the process.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Deleted and overwritten content is zeroed, not left in free pages: a withdrawn address must not linger.
  sqlite.pragma('secure_delete = ON');
  // Statement journals (every insert with triggers inside a larger transaction has one) and temporary
  // b-trees in memory: in a file they wrote gigabytes during a large import, and freed pages of the
  // statement journal never reach the database file.
  sqlite.pragma('temp_store = MEMORY');
  const db = drizzle(sqlite, { schema });
  return { sqlite, db, close: () => sqlite.close() };
}

/**
 * Runs `work`, one large write such as an import, with a page cache of up to 256 MiB, then gives the memory
 * back. With SQLite's default 2 MB the pages of the indexes an import inserts into at random (keys are ids)
 * no longer fit past a few thousand resources: each insert read its pages back from the write-ahead log,
 * and each thousand entries took longer than the thousand before.
 */
export function withImportCache<T>(sqlite: Database.Database, work: () => T): T {
  const previous = sqlite.pragma('cache_size', { simple: true }) as number;
  sqlite.pragma('cache_size = -262144');
  try {
    return work();
  } finally {
    sqlite.pragma(`cache_size = ${previous}`);
  }
}

const withdrawalListeners = new WeakMap<Database.Database, Set<() => void>>();

/**
 * Calls `listener` whenever this process withdraws an address, before the write-ahead log is emptied: a
 * read transaction held open on the database (a read-model build) keeps the log, so its holder ends it.
 */
export function onWithdrawal(database: OpenDatabase, listener: () => void): () => void {
  let listeners = withdrawalListeners.get(database.sqlite);
  if (!listeners) {
    listeners = new Set();
    withdrawalListeners.set(database.sqlite, listeners);
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Per connection, the retries under way: resolve true once the log was emptied, false if closed first. */
const pendingCheckpoints = new WeakMap<Database.Database, Promise<boolean>>();

/**
 * Copies the write-ahead log into the database and empties it, so that the log's old frames, which still
 * hold a withdrawn address, are gone from disk too. Call after the transaction that withdrew it commits.
 * Never waits: while a reader elsewhere (another process) still holds the log, it tries again every 100 ms
 * until the log is emptied or the database closed (one retry per connection: each empties the whole log).
 * A process about to exit awaits `withdrawnDataForgotten` first.
 */
export function forgetWithdrawnData(database: OpenDatabase): void {
  for (const listener of withdrawalListeners.get(database.sqlite) ?? []) listener();
  if (checkpointed(database.sqlite) || pendingCheckpoints.has(database.sqlite)) return;
  const { sqlite } = database;
  const emptied = new Promise<boolean>((resolve) => {
    const retry = setInterval(() => {
      if (!sqlite.open || checkpointed(sqlite)) {
        clearInterval(retry);
        pendingCheckpoints.delete(sqlite);
        resolve(sqlite.open);
      }
    }, 100);
    retry.unref();
  });
  pendingCheckpoints.set(sqlite, emptied);
}

/**
 * Whether the log holds none of what this connection's writes withdrew: at once when no retry is under way,
 * else once the retry emptied it (true) or after `timeoutMs`, or the database closed (false).
 */
export async function withdrawnDataForgotten(database: OpenDatabase, timeoutMs: number): Promise<boolean> {
  const pending = pendingCheckpoints.get(database.sqlite);
  if (!pending) return true;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([pending, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** One TRUNCATE checkpoint without waiting for readers; whether the log is now empty. */
function checkpointed(sqlite: Database.Database): boolean {
  const timeout = sqlite.pragma('busy_timeout', { simple: true }) as number;
  sqlite.pragma('busy_timeout = 0');
  try {
    const [result] = sqlite.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    return result?.busy === 0;
  } catch {
    return false;
  } finally {
    sqlite.pragma(`busy_timeout = ${timeout}`);
  }
}

/** Applies the schema migrations, then the reference data (places and vocabulary). Idempotent. */
export function migrateDatabase(database: OpenDatabase): void {
  migrate(database.db, { migrationsFolder: join(projectRoot, 'migrations') });
  loadReferenceData(database.sqlite);
  // Table statistics let the planner pick the selective index; a bounded ANALYZE keeps start-up quick.
  database.sqlite.pragma('analysis_limit = 400');
  database.sqlite.pragma('optimize = 0x10002');
}
