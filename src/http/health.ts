import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { Problem, problemResponse } from './problem.js';

export async function healthRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/health',
    {
      schema: {
        tags: ['service'],
        operationId: 'getHealth',
        summary: 'Liveness and database check',
        description: 'Answers 200 when the database answers a query, 503 otherwise.',
        response: {
          200: Type.Object({ status: Type.Literal('ok') }),
          503: problemResponse('The database does not answer.'),
        },
      },
    },
    async () => {
      try {
        app.database.sqlite.prepare('SELECT 1').get();
      } catch {
        throw new Problem(503, 'database-unavailable', 'The database does not answer.');
      }
      return { status: 'ok' as const };
    },
  );
}
