// Builds (or reads the saved) read model once the store and reference data are there, and shares it with every
// read route as `app.readModel`.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { FeedReadModel } from './feed-model.js';
import { type ReadModelOptions, ReadModelStore } from './store.js';

/** What the routes read from (`current()`) and the writers wait for (`caughtUp`). */
export type ServedReadModel = ReadModelStore | FeedReadModel;

declare module 'fastify' {
  interface FastifyInstance {
    readModel: ServedReadModel;
  }
}

export const readModelPlugin = fp(
  async (app: FastifyInstance, options: Pick<ReadModelOptions, 'separateBuildFrom'>) => {
    const warn = (details: object, message: string) => app.log.warn(details, message);
    const { sqlite } = app.store;
    // The SQLite file is followed directly: every read checks its version (another process's write is served
    // on the next request), and a large model is built in a process of its own and saved beside the file.
    // Any other store, PostgreSQL shared by replicas, is followed through its change feed.
    const model = sqlite
      ? await ReadModelStore.open(sqlite.database, app.places, app.vocabulary, {
          ...options,
          path: sqlite.path,
          warn,
        })
      : await FeedReadModel.open(app.changeFeed, app.resources, app.places, app.vocabulary, { warn });
    app.decorate<ServedReadModel>('readModel', model);
    // Before the store closes: a rebuild in progress finishes or stops first.
    app.addHook('preClose', async () => model.close());
  },
  { name: 'read-model', dependencies: ['database'] },
);

/** The read model of a SQLite store (builds, saved models, statistics): SQLite only, throws otherwise. */
export function sqliteReadModel(app: FastifyInstance): ReadModelStore {
  if (!(app.readModel instanceof ReadModelStore))
    throw new Error('the read model of a SQLite store was expected');
  return app.readModel;
}
