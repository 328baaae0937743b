// Liveness and readiness apart. /health answers whether the process is alive and its database answers:
// it is never shed or rate limited (protection.ts), so a probe never restarts a healthy, busy server.
// /ready answers whether to send it traffic: the database answers, the read model is loaded, and it is not
// shedding load.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { databaseUnavailable, Problem, problemResponse } from './problem.js';

/** Routes the overload guard lets through and the rate limiter never counts: probes. */
export const probeRoutes = new Set(['/health', '/ready']);

export async function healthRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  // A probe is answered even when the guard sheds everything else (under-pressure's per-route handler).
  const notShed = { pressureHandler: () => undefined };

  app.get(
    '/health',
    {
      config: notShed,
      schema: {
        tags: ['service'],
        operationId: 'getHealth',
        summary: 'Liveness: the process runs and its database answers',
        description:
          'Answers 200 when the database answers a query, 503 otherwise. Never shed under load and never rate ' +
          'limited (with or without a query string): use it as the liveness probe (the Dockerfile HEALTHCHECK).',
        response: {
          200: Type.Object({ status: Type.Literal('ok') }),
          503: problemResponse('The database does not answer.'),
        },
      },
    },
    async () => {
      if (!(await app.ping())) throw databaseUnavailable();
      return { status: 'ok' as const };
    },
  );

  app.get(
    '/ready',
    {
      config: notShed,
      schema: {
        tags: ['service'],
        operationId: 'getReadiness',
        summary: 'Readiness: whether to send this instance traffic',
        description:
          'Answers 200 when the database answers, the read model is loaded and the instance is not shedding ' +
          'load; 503 with the reason otherwise. Use it as the readiness probe of an orchestrator or load ' +
          'balancer: an instance that answers 503 here is alive but should get no requests for now.',
        response: {
          200: Type.Object({ status: Type.Literal('ready') }),
          503: problemResponse('Not ready: the database does not answer, or the instance is overloaded.'),
        },
      },
    },
    async (_request, reply) => {
      if (!(await app.ping())) throw databaseUnavailable();
      if (app.isUnderPressure()) {
        reply.header('retry-after', '10');
        throw new Problem(503, 'overloaded', 'The instance is shedding load; retry in 10 seconds.');
      }
      app.readModel.current();
      return { status: 'ready' as const };
    },
  );
}
