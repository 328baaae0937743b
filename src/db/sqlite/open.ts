// The SQLite side of openStore (src/db/open.ts): the file at DATABASE_PATH, migrated, seeded when empty.
import type { Config } from '../../config.js';
import { loadPlaces } from '../../places/places.js';
import { recordUntrackedStates } from '../../resources/history.js';
import { countResources } from '../../resources/repository.js';
import { seedCuratedDataset } from '../../resources/seed.js';
import { loadVocabulary } from '../../vocabulary/vocabulary.js';
import { migrateDatabase, type OpenDatabase, openDatabase, withdrawnDataForgotten } from '../client.js';
import type { OpenStore } from '../open.js';
import { SqliteChangeFeed } from './change-feed.js';
import { SqliteHsdsStore } from './hsds-store.js';
import { sqlitePing } from './ping.js';
import { SqlitePlaceStore } from './place-store.js';
import { SqliteResourceStore } from './resource-store.js';
import { SqliteTokenStore } from './token-store.js';

/** Opens the database file, applies migrations and reference data, and seeds the curated dataset if empty. */
export function prepareDatabase(config: Config): OpenDatabase {
  return prepared(config).database;
}

/** Migrated; at the service's start (`startUp`) also seeded when empty and its untracked states recorded. */
function prepared(config: Config, startUp = true): { database: OpenDatabase; seeded: boolean } {
  const database = openDatabase(config.databasePath);
  try {
    migrateDatabase(database);
    const seeded = startUp && config.seedIfEmpty && countResources(database.db) === 0;
    if (seeded) {
      seedCuratedDataset(database, {
        places: loadPlaces(database.db),
        vocabulary: loadVocabulary(database.db),
      });
    }
    if (startUp) recordUntrackedStates(database);
    return { database, seeded };
  } catch (error) {
    database.close();
    throw error;
  }
}

export async function openPreparedSqlite(config: Config, startUp = true): Promise<OpenStore> {
  const { database, seeded } = prepared(config, startUp);
  const path = config.databasePath;
  return {
    engine: 'sqlite',
    location: path,
    tokens: new SqliteTokenStore(database.db),
    resources: new SqliteResourceStore(database),
    placeStore: new SqlitePlaceStore(database),
    hsds: new SqliteHsdsStore(database),
    changeFeed: new SqliteChangeFeed(database, path),
    ping: sqlitePing(database),
    places: loadPlaces(database.db),
    vocabulary: loadVocabulary(database.db),
    seeded,
    sqlite: { database, path },
    backup: async (file) => {
      await database.sqlite.backup(file);
    },
    withdrawnDataForgotten: (timeoutMs) => withdrawnDataForgotten(database, timeoutMs),
    close: async () => {
      // The WAL is copied into the database and emptied, then the file closes.
      try {
        if (database.sqlite.open) database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        database.close();
      }
    },
  };
}
