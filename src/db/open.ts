// Opens the configured store: PostgreSQL when DATABASE_URL is set (many replicas), otherwise the SQLite file
// at DATABASE_PATH (the default). Either way the database is migrated and its reference data loaded; for the
// service (not a command-line tool: `startUp: false`) the curated dataset is also seeded into an empty
// database (SEED_IF_EMPTY) and every untracked state recorded in the history.
// What it returns is the same set of interfaces (src/db/store.ts) on both engines; only the read model's
// plugin asks for the SQLite file itself (`sqlite`), to follow it as it always has.
import type { Config } from '../config.js';
import type { Places } from '../places/places.js';
import { parseCuratedDataset } from '../resources/dataset.js';
import type { Vocabulary } from '../vocabulary/vocabulary.js';
import type { OpenDatabase } from './client.js';
import { pgDump } from './postgres/backup.js';
import { PostgresChangeFeed } from './postgres/change-feed.js';
import { migratePostgres, openPostgres } from './postgres/client.js';
import { withStoreErrors } from './postgres/errors.js';
import { PostgresHsdsStore } from './postgres/hsds-store.js';
import { postgresPing } from './postgres/ping.js';
import { PostgresPlaceStore } from './postgres/place-store.js';
import { loadPlacesPostgres, loadVocabularyPostgres } from './postgres/reference.js';
import { PostgresResourceStore } from './postgres/resource-store.js';
import { PostgresTokenStore } from './postgres/token-store.js';
import { openPreparedSqlite } from './sqlite/open.js';
import type {
  ChangeFeed,
  Engine,
  HistoryStore,
  HsdsStore,
  PlaceStore,
  ResourceStore,
  TokenStore,
} from './store.js';

export interface OpenStore {
  readonly engine: Engine;
  /** Where the data is, for the start-up message: the SQLite file, or the PostgreSQL URL without password. */
  readonly location: string;
  tokens: TokenStore;
  resources: ResourceStore & HistoryStore;
  placeStore: PlaceStore;
  hsds: HsdsStore;
  changeFeed: ChangeFeed;
  /** Whether the database answers a trivial query now: /health and /ready. Never throws. */
  ping(): Promise<boolean>;
  places: Places;
  vocabulary: Vocabulary;
  /** Whether this start loaded the curated dataset into an empty database. */
  seeded: boolean;
  /** SQLite only: the open file, which the read model follows directly (src/read-model/plugin.ts). */
  sqlite?: { database: OpenDatabase; path: string };
  /**
   * An online, consistent backup to `file`, a new file (`npm run db:backup`). SQLite: the backup API, a
   * database file. PostgreSQL: `pg_dump --format=custom`, the password in PGPASSWORD, never on its command line.
   */
  backup(file: string): Promise<void>;
  /**
   * Whether nothing this process withdrew (an address made confidential) is left in the database's files, once
   * its writes are done: SQLite waits, at most `timeoutMs`, for the write-ahead log to be emptied, which another
   * process reading can delay; PostgreSQL's store rewrote the tables (VACUUM FULL) within the write: true.
   */
  withdrawnDataForgotten(timeoutMs: number): Promise<boolean>;
  /**
   * Ends the connections once in-flight transactions have finished: after the read model has stopped, last of
   * the close hooks. A write that was acknowledged has committed before this resolves.
   */
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /**
   * Whether this is the service starting (the default): it seeds an empty database (SEED_IF_EMPTY) and records
   * the untracked states. A command-line tool (src/cli) passes false: it migrates and does its one task.
   */
  startUp?: boolean;
}

export async function openStore(config: Config, options: OpenStoreOptions = {}): Promise<OpenStore> {
  const startUp = options.startUp ?? true;
  return config.databaseUrl === undefined
    ? openPreparedSqlite(config, startUp)
    : openPreparedPostgres(config, config.databaseUrl, startUp);
}

async function openPreparedPostgres(config: Config, url: string, startUp: boolean): Promise<OpenStore> {
  const database = openPostgres(url);
  try {
    await migratePostgres(database);
    const places = await loadPlacesPostgres(database.db);
    const vocabulary = await loadVocabularyPostgres(database.db);
    const resources = new PostgresResourceStore(database);
    // Replicas starting together on an empty database may both seed: the import is one transaction under the
    // writers' lock, and the second finds every entry unchanged.
    const seeded = startUp && config.seedIfEmpty && (await resources.countResources()) === 0;
    if (seeded) {
      const now = new Date();
      await resources.importDataset(
        parseCuratedDataset({ places, vocabulary, today: now.toISOString().slice(0, 10) }),
        { tokenName: null, at: now },
      );
    }
    if (startUp) await resources.recordUntrackedStates();
    const changeFeed = new PostgresChangeFeed(database, url, { applicationName: 'stodkartan-listener' });
    // A connection error from any of them (the server restarting, unreachable, out of connections) reaches
    // the caller as StoreUnavailable: 503 `database-unavailable`, never a 500.
    return {
      engine: 'postgresql',
      location: withoutPassword(url),
      tokens: withStoreErrors(new PostgresTokenStore(database.db)),
      resources: withStoreErrors(resources),
      placeStore: withStoreErrors(new PostgresPlaceStore(database)),
      hsds: withStoreErrors(new PostgresHsdsStore(database)),
      changeFeed: withStoreErrors(changeFeed),
      ping: postgresPing(database),
      places,
      vocabulary,
      seeded,
      backup: (file) => pgDump(url, file),
      withdrawnDataForgotten: async () => true,
      close: async () => {
        await changeFeed.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** The URL as logged and shown: never its password (nor a password given as a query parameter). */
export function withoutPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  parsed.search = '';
  return parsed.toString();
}
