// Builds (or reads the saved) read model once the database and reference data are there, and shares its store with every
// read route as `app.readModel`.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type ReadModelOptions, ReadModelStore } from './store.js';

declare module 'fastify' {
  interface FastifyInstance {
    readModel: ReadModelStore;
  }
}

export const readModelPlugin = fp(
  async (app: FastifyInstance, options: Omit<ReadModelOptions, 'warn'>) => {
    const store = await ReadModelStore.open(app.database, app.places, app.vocabulary, {
      ...options,
      warn: (details, message) => app.log.warn(details, message),
    });
    app.decorate('readModel', store);
    // Before the database closes: a rebuild in progress finishes or stops first.
    app.addHook('preClose', async () => store.close());
  },
  { name: 'read-model', dependencies: ['database'] },
);
