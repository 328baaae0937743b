// The database and the static reference data it holds, shared with every feature as decorators.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { loadPlaces, type Places } from '../places/places.js';
import { loadVocabulary, type Vocabulary } from '../vocabulary/vocabulary.js';
import type { OpenDatabase } from './client.js';
import { SqliteChangeFeed } from './sqlite/change-feed.js';
import { SqliteHsdsStore } from './sqlite/hsds-store.js';
import { sqlitePing } from './sqlite/ping.js';
import { SqlitePlaceStore } from './sqlite/place-store.js';
import { SqliteResourceStore } from './sqlite/resource-store.js';
import { SqliteTokenStore } from './sqlite/token-store.js';
import type {
  ChangeFeed,
  HistoryStore,
  HsdsStore,
  PlaceStore,
  ResourceStore,
  StoreLifecycle,
  TokenStore,
} from './store.js';

declare module 'fastify' {
  interface FastifyInstance {
    database: OpenDatabase;
    /** Staff tokens, through the store interface (src/db/store.ts): the first feature moved behind it. */
    tokens: TokenStore;
    /** Resources and their history, through the store interface: staff writes and the history route. */
    resources: ResourceStore & HistoryStore;
    /** Inventories and municipality boundaries, through the store interface: the places routes. */
    placeStore: PlaceStore;
    /** The HSDS view's own questions (pages of ids, organizations, locations), through the store interface. */
    hsds: HsdsStore;
    /** The dataset's version and what changed (exports' ETags; the read model on PostgreSQL, later). */
    changeFeed: ChangeFeed;
    /** Whether the database answers now (never throws): /health and /ready. */
    ping: StoreLifecycle['ping'];
    places: Places;
    vocabulary: Vocabulary;
    /** Whether this start loaded the curated dataset into an empty database. */
    seededOnStart: boolean;
  }
}

export const databasePlugin = fp(
  async (app: FastifyInstance, options: { database: OpenDatabase; path: string; seeded?: boolean }) => {
    app.decorate('database', options.database);
    app.decorate('tokens', new SqliteTokenStore(options.database.db));
    app.decorate('resources', new SqliteResourceStore(options.database));
    app.decorate('placeStore', new SqlitePlaceStore(options.database));
    app.decorate('hsds', new SqliteHsdsStore(options.database));
    app.decorate('ping', sqlitePing(options.database));
    app.decorate('changeFeed', new SqliteChangeFeed(options.database, options.path));
    app.decorate('seededOnStart', options.seeded ?? false);
    app.decorate('places', loadPlaces(options.database.db));
    app.decorate('vocabulary', loadVocabulary(options.database.db));
    // Last of the close hooks: the WAL is copied into the database and emptied, then the file closes.
    app.addHook('onClose', async () => {
      try {
        if (options.database.sqlite.open) options.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        options.database.close();
      }
    });
  },
  { name: 'database' },
);
