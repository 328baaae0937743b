// Builds the read model once the database and reference data are there, and shares its store with every
// read route as `app.readModel`.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ReadModelStore } from './store.js';

declare module 'fastify' {
  interface FastifyInstance {
    readModel: ReadModelStore;
  }
}

export const readModelPlugin = fp(
  async (app: FastifyInstance, options: { path: string }) => {
    const store = new ReadModelStore(app.database, app.places, app.vocabulary, { path: options.path });
    app.decorate('readModel', store);
    // Before the database closes: a rebuild in progress finishes or stops first.
    app.addHook('preClose', async () => store.close());
  },
  { name: 'read-model', dependencies: ['database'] },
);
