// Staying up under abuse and overload: security headers, per-client rate limits (reads generous,
// writes strict), and 503 instead of falling over when the event loop lags. Every refusal is
// problem+json with Retry-After.
//
// The order of the hooks is the protection: helmet's first (every answer carries the headers), then the
// rate limiter, then the overload guard. The limiter therefore counts every request it sees — one the
// guard then sheds as well — so a client that keeps the service busy is soon refused with 429 at the cost
// of a counter, while other clients' requests are still let through. It is registered before CORS (app.ts),
// so a preflight (OPTIONS) counts too, and as one application-wide hook, so a 404 counts as well.
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { eventLoopLag } from './event-loop-lag.js';
import { probeRoutes } from './health.js';
import { Problem, sendProblem } from './problem.js';
import { CountingStore } from './rate-limit-store.js';
import { securityHeaders } from './security-headers.js';

/** POST /v1/resources/search is a read that carries its criteria in the body. */
export function isWrite(request: Pick<FastifyRequest, 'method' | 'routeOptions'>): boolean {
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return false;
  return !(request.method === 'POST' && request.routeOptions.url === '/v1/resources/search');
}

export const protectionPlugin = fp(
  async (app: FastifyInstance, config: Config) => {
    // helmet's headers as computed once from the options (security-headers.ts): @fastify/helmet built
    // helmet's middleware anew for every request, a tenth of a filtered list's CPU at 100 000 resources.
    // A route's own (the pages') are set here too, so that its refusals (429, 503) carry them as well.
    app.addHook('onRequest', (request, reply, done) => {
      reply.headers(request.routeOptions.config.securityHeaders ?? securityHeaders);
      done();
    });
    await app.register(rateLimit, {
      // Not per route (route hooks run after every application hook, the guard's among them): one
      // application hook, added below before the guard's.
      global: false,
      store: CountingStore,
      // Clients remembered at once; the one seen longest ago is forgotten first.
      cache: 10_000,
      timeWindow: 60_000,
      max: (request) => (isWrite(request) ? config.rateLimitWrites : config.rateLimitReads),
      keyGenerator: (request) => `${request.ip}|${isWrite(request) ? 'write' : 'read'}`,
      // Probes come from the platform, often many a minute; they must never be refused, query string or not.
      allowList: (request) => probeRoutes.has(request.routeOptions.url ?? ''),
      errorResponseBuilder: (_request, context) =>
        new Problem(
          429,
          'too-many-requests',
          `More than ${context.max} requests a minute from this client; retry in ${context.after}.`,
        ),
    });
    app.addHook('onRequest', app.rateLimit());
    // The lag check is ours (event-loop-lag.ts); under-pressure's own is off. 0 turns the check off.
    const checkEveryMs = 250;
    const lag = config.maxEventLoopDelayMs > 0 ? eventLoopLag(checkEveryMs) : undefined;
    if (lag) app.addHook('onClose', async () => lag.close());
    await app.register(underPressure, {
      maxEventLoopDelay: 0,
      ...(lag
        ? {
            healthCheck: async () => lag.measure() <= config.maxEventLoopDelayMs,
            healthCheckInterval: checkEveryMs,
          }
        : {}),
      retryAfter: 10,
      pressureHandler: (request, reply) => {
        reply.header('retry-after', '10');
        sendProblem(
          reply,
          request,
          new Problem(503, 'overloaded', 'The service is overloaded; retry in 10 seconds.'),
        );
      },
    });
  },
  { name: 'protection', dependencies: ['problem'] },
);
