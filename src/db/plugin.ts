// The database and the static reference data it holds, shared with every feature as decorators.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { loadPlaces, type Places } from '../places/places.js';
import { loadVocabulary, type Vocabulary } from '../vocabulary/vocabulary.js';
import type { OpenDatabase } from './client.js';

declare module 'fastify' {
  interface FastifyInstance {
    database: OpenDatabase;
    places: Places;
    vocabulary: Vocabulary;
  }
}

export const databasePlugin = fp(
  async (app: FastifyInstance, options: { database: OpenDatabase }) => {
    app.decorate('database', options.database);
    app.decorate('places', loadPlaces(options.database.db));
    app.decorate('vocabulary', loadVocabulary(options.database.db));
    app.addHook('onClose', async () => options.database.close());
  },
  { name: 'database' },
);
