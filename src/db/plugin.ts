// The store (src/db/open.ts) and the static reference data it holds, shared with every feature as decorators.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { OpenDatabase } from './client.js';
import type { OpenStore } from './open.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The open store: which engine, and what only start-up and the read model's plugin need. */
    store: OpenStore;
    /** The store's parts, each what a feature needs (described in src/db/store.ts and open.ts). */
    tokens: OpenStore['tokens'];
    resources: OpenStore['resources'];
    placeStore: OpenStore['placeStore'];
    hsds: OpenStore['hsds'];
    changeFeed: OpenStore['changeFeed'];
    ping: OpenStore['ping'];
    places: OpenStore['places'];
    vocabulary: OpenStore['vocabulary'];
    /** Whether this start loaded the curated dataset into an empty database. */
    seededOnStart: boolean;
  }
}

export const databasePlugin = fp(
  async (app: FastifyInstance, options: { store: OpenStore }) => {
    const { store } = options;
    app.decorate('store', store);
    app.decorate('tokens', store.tokens);
    app.decorate('resources', store.resources);
    app.decorate('placeStore', store.placeStore);
    app.decorate('hsds', store.hsds);
    app.decorate('ping', store.ping);
    app.decorate('changeFeed', store.changeFeed);
    app.decorate('seededOnStart', store.seeded);
    app.decorate('places', store.places);
    app.decorate('vocabulary', store.vocabulary);
    // Last of the close hooks (the read model stops in preClose).
    app.addHook('onClose', async () => store.close());
  },
  { name: 'database' },
);

/** The open SQLite file, for what reads it directly (SQLite only: throws on PostgreSQL). */
export function sqliteDatabase(app: FastifyInstance): OpenDatabase {
  const sqlite = app.store.sqlite;
  if (sqlite === undefined) throw new Error(`this needs the SQLite store, not ${app.store.engine}`);
  return sqlite.database;
}
